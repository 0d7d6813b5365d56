package steps

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cyclezero/cyclezero/state"
)

// MinOverrideReason is the shortest reason, in characters after trimming,
// an override accepts: long enough that "ok" or "skip" will not do.
const MinOverrideReason = 10

// ErrOverrideReason is wrapped by Override's error when the reason is
// missing or too short, so a form can keep the user on the field.
var ErrOverrideReason = errors.New("override reason rejected")

// Override records that the user passes phase's gate anyway, with the
// reason they typed. The override holds only while the inputs of that
// gate (deps[phase].Fields) are what they are now: their digest is kept as
// the override's InputsKey (see OverrideKey). Overrides are only ever
// appended; the latest matching one applies.
func Override(s *state.Session, phase PhaseID, gate, reason string, current state.Fingerprint, now time.Time) error {
	if s == nil {
		return errors.New("record override: no session is open")
	}
	if _, ok := PhaseByID(phase); !ok {
		return fmt.Errorf("record override: unknown phase %q", phase)
	}
	gate = strings.TrimSpace(gate)
	if gate == "" {
		return fmt.Errorf("record override: say which gate of %s is overridden", short(phase))
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return fmt.Errorf("%w: an override needs a reason; type why it is safe to pass %s's %s gate anyway", ErrOverrideReason, short(phase), gate)
	}
	if n := utf8.RuneCountInString(reason); n < MinOverrideReason {
		return fmt.Errorf("%w: the reason must be at least %d characters (it has %d); say why it is safe to pass %s's %s gate anyway",
			ErrOverrideReason, MinOverrideReason, n, short(phase), gate)
	}
	s.Overrides = append(s.Overrides, state.Override{
		Phase:     string(phase),
		Gate:      gate,
		Reason:    reason,
		At:        now,
		InputsKey: OverrideKey(s, phase, current),
	})
	return nil
}

// OverrideKey is a short digest of the current values of phase's inputs,
// the fingerprint an override made now is tied to.
func OverrideKey(s *state.Session, phase PhaseID, current state.Fingerprint) string {
	cur := effective(s, current)
	h := sha256.New()
	for _, f := range deps[phase].Fields {
		fmt.Fprintf(h, "%s=%s\n", f, f.Value(cur))
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// FindOverride returns (a copy of) the latest override of phase's gate made
// at the current fingerprint, or nil. An override made at another
// fingerprint, or without one, does not apply.
func FindOverride(s *state.Session, phase PhaseID, gate string, current state.Fingerprint) *state.Override {
	if s == nil || len(s.Overrides) == 0 {
		return nil
	}
	key := OverrideKey(s, phase, current)
	for i := len(s.Overrides) - 1; i >= 0; i-- {
		o := s.Overrides[i]
		if o.Phase == string(phase) && o.Gate == gate && o.InputsKey == key {
			return &o
		}
	}
	return nil
}
