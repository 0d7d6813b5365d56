package derivaml

import "fmt"

// NoExecutionMatchError is select_by_execution's failure: a target has
// feature values, but none written by the execution asked for.
type NoExecutionMatchError struct {
	Execution string
}

// Error renders DerivaML's message for it, word for word.
func (e *NoExecutionMatchError) Error() string {
	return fmt.Sprintf("No feature records match execution '%s'.", e.Execution)
}

// UnknownWorkflowError is list_workflow_executions' failure: the name is
// neither a Workflow RID nor a Workflow_Type with executions.
type UnknownWorkflowError struct {
	Workflow string
}

// Error renders DerivaML's message for it, word for word.
func (e *UnknownWorkflowError) Error() string {
	return fmt.Sprintf("No workflow resolved for '%s' — tried as Workflow RID and Workflow_Type name.", e.Workflow)
}
