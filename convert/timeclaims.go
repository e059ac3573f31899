package convert

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// DefaultSkew is the clock skew allowed around exp and nbf unless the user
// chooses another (InspectOptions.Skew is used as given: 0 means none).
const DefaultSkew = 60 * time.Second

// millisThreshold: a NumericDate above this (year 5138 in seconds) is almost
// certainly milliseconds since the epoch.
const millisThreshold = 100_000_000_000

// TimeClaim is one of exp, nbf, iat, auth_time, decoded and put in words.
type TimeClaim struct {
	Name     string `json:"name"`
	Raw      string `json:"raw"`  // the value as the token wrote it
	Unix     int64  `json:"unix"` // seconds since the epoch (0 when unreadable)
	UTC      string `json:"utc,omitempty"`
	Local    string `json:"local,omitempty"`
	Relative string `json:"relative,omitempty"` // "expired 3 h 12 min ago"
	Warning  string `json:"warning,omitempty"`  // milliseconds, a string, unreadable…
	Valid    bool   `json:"-"`                  // the value was read as a time
}

// timeClaimNames are the claims decoded as times, in the order shown.
var timeClaimNames = []string{"iat", "nbf", "exp", "auth_time"}

// readTimeClaims decodes the time claims of a claims object.
func readTimeClaims(claims map[string]json.RawMessage, now time.Time) []TimeClaim {
	var out []TimeClaim
	for _, name := range timeClaimNames {
		raw, ok := claims[name]
		if !ok {
			continue
		}
		tc := TimeClaim{Name: name, Raw: string(raw)}
		secs, warn, ok := numericDate(raw)
		tc.Warning = warn
		if ok {
			t := time.Unix(secs, 0)
			tc.Unix, tc.Valid = secs, true
			tc.UTC = t.UTC().Format("2006-01-02 15:04:05 UTC")
			tc.Local = t.Local().Format("2006-01-02 15:04:05 MST")
			tc.Relative = relativePhrase(name, t, now)
		}
		out = append(out, tc)
	}
	return out
}

// numericDate reads a JWT NumericDate: a JSON number (fractions allowed),
// or a number written as a string (seen in the wild; warned about).
func numericDate(raw json.RawMessage) (secs int64, warning string, ok bool) {
	text := strings.TrimSpace(string(raw))
	if strings.HasPrefix(text, `"`) {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, "not a number: a NumericDate is seconds since 1970 as a JSON number", false
		}
		text = strings.TrimSpace(s)
		warning = "written as a string, not a JSON number (RFC 7519 §2 NumericDate): many libraries reject it"
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, "not a number: a NumericDate is seconds since 1970 as a JSON number", false
	}
	if math.Abs(f) >= millisThreshold {
		ms := "looks like milliseconds, not seconds: read as " + time.UnixMilli(int64(f)).UTC().Format("2006-01-02 15:04:05 UTC") + " if it were; most verifiers read it as seconds"
		if warning != "" {
			warning += "; " + ms
		} else {
			warning = ms
		}
		if math.Abs(f) > 1e15 { // beyond what time.Unix formats sensibly
			return 0, warning, false
		}
	}
	return int64(math.Floor(f)), warning, true
}

// relativePhrase puts a time claim in words relative to now.
func relativePhrase(name string, t, now time.Time) string {
	d := t.Sub(now)
	past := d < 0
	if past {
		d = -d
	}
	h := humanDuration(d)
	switch name {
	case "exp":
		if past {
			return "expired " + h + " ago"
		}
		return "valid for another " + h
	case "nbf":
		if past {
			return "valid since " + h + " ago"
		}
		return "not valid for another " + h
	case "iat":
		if past {
			return "issued " + h + " ago"
		}
		return "issued " + h + " in the future"
	}
	if past {
		return "authenticated " + h + " ago"
	}
	return "authenticated " + h + " in the future"
}

// humanDuration writes a duration the way people say it: "45 s", "9 min",
// "3 h 12 min", "2 d 4 h", "3 y 20 d".
func humanDuration(d time.Duration) string {
	const day = 24 * time.Hour
	const year = 365 * day
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int64(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int64(d/time.Minute))
	case d < day:
		return joinUnits(int64(d/time.Hour), "h", int64(d%time.Hour/time.Minute), "min")
	case d < year:
		return joinUnits(int64(d/day), "d", int64(d%day/time.Hour), "h")
	}
	return joinUnits(int64(d/year), "y", int64(d%year/day), "d")
}

func joinUnits(a int64, ua string, b int64, ub string) string {
	if b == 0 {
		return fmt.Sprintf("%d %s", a, ua)
	}
	return fmt.Sprintf("%d %s %d %s", a, ua, b, ub)
}

// timeState says whether the token is expired or not yet valid at now,
// allowing skew either way.
func timeState(times []TimeClaim, now time.Time, skew time.Duration) (expired, notYet bool, reason string) {
	for _, tc := range times {
		if !tc.Valid {
			continue
		}
		t := time.Unix(tc.Unix, 0)
		switch tc.Name {
		case "exp":
			if !now.Before(t.Add(skew)) {
				expired = true
				reason = "expired " + humanDuration(now.Sub(t)) + " ago"
			}
		case "nbf":
			if now.Add(skew).Before(t) {
				notYet = true
				if reason == "" {
					reason = "not valid for another " + humanDuration(t.Sub(now))
				}
			}
		}
	}
	return expired, notYet, reason
}
