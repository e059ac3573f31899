package ui

import (
	"math"
	"testing"
	"time"
)

// NumericDates span years 1 to 9999 (RFC 7519 §2; the engine prints them):
// the bar places each instant by its share of the whole span, however far
// apart the claims are. A time.Duration saturates at 292 years, which put
// now on top of exp for a token valid from year 1 to year 9999.
func TestLifetimeScaleFarDates(t *testing.T) {
	day := func(y int) time.Time { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC) }
	cases := []struct {
		name          string
		nbf, exp, now time.Time
	}{
		{"year 1 to 9999", day(1), day(9999), day(2026)},
		{"now to year 9999", day(2026), day(9999), day(2026).Add(time.Hour)},
		{"an hour", day(2026), day(2026).Add(time.Hour), day(2026).Add(30 * time.Minute)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			nbf, exp := c.nbf, c.exp
			x := (&lifetime{nbf: &nbf, exp: &exp, now: c.now}).scale(1000)
			share := float64(c.now.Unix()-c.nbf.Unix()) / float64(c.exp.Unix()-c.nbf.Unix())
			want := 1000 * (0.04 + 0.92*share)
			if got := float64(x(c.now)); math.Abs(got-want) > 0.5 {
				t.Errorf("now at x=%.1f, want %.1f", got, want)
			}
			if x(nbf) != 40 || math.Abs(float64(x(exp))-960) > 0.01 {
				t.Errorf("ends at %.2f and %.2f, want 40 and 960", x(nbf), x(exp))
			}
		})
	}
}
