package derivaml

import (
	"fmt"
	"strings"
)

// ExecutionCycleError refuses an execution nesting that would make an
// execution its own ancestor. Nodes is the cycle the change would close,
// starting and ending at the parent (e.g. [P, C, P]: C already contains P).
// DerivaML itself does not refuse these (its readers only guard against
// them), but a multirun tree with a loop has no meaning.
type ExecutionCycleError struct {
	Nodes []string
}

// Error names the cycle and which execution already contains which.
func (e *ExecutionCycleError) Error() string {
	if len(e.Nodes) < 2 {
		return "nesting these executions would create a cycle"
	}
	parent, child := e.Nodes[0], e.Nodes[1]
	if parent == child {
		return fmt.Sprintf("execution %s cannot be nested under itself", parent)
	}
	return fmt.Sprintf("nesting execution %s under %s would create a cycle (%s): %s already contains %s, "+
		"directly or through nested executions", child, parent, strings.Join(e.Nodes, " → "), child, parent)
}
