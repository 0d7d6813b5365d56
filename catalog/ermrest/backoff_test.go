package ermrest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Retry n waits between half and all of BaseDelay·2ⁿ⁻¹ (capped at
// MaxDelay): exponential, with "equal jitter" so clients retrying together
// spread out rather than hitting a recovering server at the same instant.
func TestBackoffIsExponentialWithJitter(t *testing.T) {
	t.Parallel()
	p := RetryPolicy{BaseDelay: 100 * time.Millisecond, MaxDelay: 1 * time.Second}
	for _, tc := range []struct {
		n    int
		full time.Duration
	}{
		{1, 100 * time.Millisecond},
		{2, 200 * time.Millisecond},
		{3, 400 * time.Millisecond},
		{4, 800 * time.Millisecond},
		{5, time.Second}, // capped
		{12, time.Second},
	} {
		seen := map[time.Duration]bool{}
		for range 200 {
			d := p.backoff(tc.n, 0)
			assert.GreaterOrEqual(t, d, tc.full/2, "retry %d", tc.n)
			assert.LessOrEqual(t, d, tc.full, "retry %d", tc.n)
			seen[d] = true
		}
		assert.Greater(t, len(seen), 1, "retry %d: the waits vary (jitter)", tc.n)
	}
}

// A server's Retry-After wins over a shorter backoff, up to MaxDelay.
func TestBackoffHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	p := RetryPolicy{BaseDelay: 10 * time.Millisecond, MaxDelay: 5 * time.Second}
	assert.Equal(t, 3*time.Second, p.backoff(1, 3*time.Second))
	assert.Equal(t, 5*time.Second, p.backoff(1, time.Minute), "capped at MaxDelay")
	d := p.backoff(1, time.Millisecond)
	assert.GreaterOrEqual(t, d, 5*time.Millisecond, "a shorter Retry-After does not shorten the backoff")
}
