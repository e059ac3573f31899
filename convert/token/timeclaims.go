package token

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"regexp"
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

// The instants a date can be printed for: years 1 to 9999. A NumericDate
// outside them is compared all the same, and shown as "before year 1" or
// "after year 9999".
var (
	firstPrintable = big.NewRat(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), 1)
	pastPrintable  = big.NewRat(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), 1)
)

// TimeClaim is one of exp, nbf, iat, auth_time, decoded and put in words.
type TimeClaim struct {
	Name     string `json:"name"`
	Raw      string `json:"raw"`  // the value as the token wrote it
	Unix     int64  `json:"unix"` // whole seconds since the epoch (0 when unreadable or past printing)
	UTC      string `json:"utc,omitempty"`
	Local    string `json:"local,omitempty"`
	Relative string `json:"relative,omitempty"` // "expired 3 h 12 min ago"
	Warning  string `json:"warning,omitempty"`  // milliseconds, a string, not a number…
	Valid    bool   `json:"-"`                  // the value was read as a number
	value    *big.Rat
	at       time.Time // the instant, when it can be printed
	printed  bool      // at is set: the instant lies in years 1 to 9999
	notJSON  string    // what the value is when it is not a JSON number: "null", "a string"…
}

// Time is the instant the claim names, with its fraction of a second, when
// it lies between years 1 and 9999 (false otherwise, or when unreadable).
func (tc TimeClaim) Time() (time.Time, bool) {
	return tc.at, tc.printed
}

// timeClaimNames are the claims decoded as times, in the order shown.
var timeClaimNames = []string{"iat", "nbf", "exp", "auth_time"}

// registeredTimeClaims are RFC 7519's NumericDate claims, with their
// sections: one that is present but not a JSON number refuses the token.
var registeredTimeClaims = map[string]string{"exp": "§4.1.4", "nbf": "§4.1.5", "iat": "§4.1.6"}

// readTimeClaims decodes the time claims of a claims object.
func readTimeClaims(claims map[string]json.RawMessage, now time.Time) []TimeClaim {
	var out []TimeClaim
	for _, name := range timeClaimNames {
		raw, ok := claims[name]
		if !ok {
			continue
		}
		out = append(out, readTimeClaim(name, raw, now))
	}
	return out
}

func readTimeClaim(name string, raw json.RawMessage, now time.Time) TimeClaim {
	tc := TimeClaim{Name: name, Raw: string(raw)}
	v, notJSON := numericDate(raw)
	tc.notJSON = notJSON
	if v == nil {
		tc.Warning = fmt.Sprintf("%s, not a number: a NumericDate is seconds since 1970 as a JSON number (RFC 7519 §2)", notJSON)
		return tc
	}
	tc.Valid, tc.value = true, v
	if notJSON != "" {
		tc.Warning = "written as a string, not a JSON number (RFC 7519 §2 NumericDate): jose, jsonwebtoken and golang-jwt reject it"
	}
	tc.UTC, tc.Local = "after year 9999", "after year 9999"
	switch {
	case v.Cmp(firstPrintable) < 0:
		tc.UTC, tc.Local = "before year 1", "before year 1"
	case v.Cmp(pastPrintable) < 0:
		tc.at, tc.printed = ratTime(v), true
		tc.Unix = tc.at.Unix()
		tc.UTC = tc.at.UTC().Format("2006-01-02 15:04:05.999999999 UTC")
		tc.Local = tc.at.Local().Format("2006-01-02 15:04:05.999999999 MST")
	}
	tc.Relative = relativePhrase(name, v, now)
	if ms := millisHint(v); ms != "" {
		if tc.Warning != "" {
			tc.Warning += "; " + ms
		} else {
			tc.Warning = ms
		}
	}
	return tc
}

// maxMagnitude bounds the numbers read exactly: past 10^40 (or under
// 10^-40) a number is so far from any date (or so close to zero) that only
// its sign counts, and building 10^1000000000 exactly would be work without
// end. Such a number is read as a stand-in that orders against every
// instant a time.Time holds exactly as the number does.
const maxMagnitude = 40

var (
	farValue  = new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(maxMagnitude), nil))
	nearValue = new(big.Rat).Inv(farValue)
)

// numericDate reads a NumericDate exactly (RFC 7519 §2: a JSON number,
// fractions allowed; no int64 or float64 on the way). A number written as a
// string is read too, to show it, with notJSON "a string". v is nil when the
// value is not a finite number at all; notJSON then says what it is.
func numericDate(raw json.RawMessage) (v *big.Rat, notJSON string) {
	text := strings.TrimSpace(string(raw))
	kind := numericDateKind(text)
	if kind == "a string" {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, kind
		}
		text = strings.TrimSpace(s)
		if numericDateKind(text) != "" {
			return nil, fmt.Sprintf("%s (%q)", kind, s)
		}
	} else if kind != "" {
		return nil, kind
	}
	return exactNumber(text), kind
}

// exactNumber reads a JSON number (its grammar already checked) as an exact
// rational, or as a stand-in when its magnitude is past maxMagnitude.
func exactNumber(text string) *big.Rat {
	mant, expText, _ := strings.Cut(strings.ToLower(text), "e")
	intPart, frac, _ := strings.Cut(strings.TrimPrefix(mant, "-"), ".")
	first := strings.IndexFunc(intPart+frac, func(r rune) bool { return r != '0' })
	if first < 0 {
		return new(big.Rat) // zero, whatever the exponent
	}
	exp := 0
	if expText != "" {
		e, err := strconv.Atoi(expText)
		switch {
		case err == nil && e > -1e9 && e < 1e9:
			exp = e
		case strings.HasPrefix(expText, "-"):
			exp = -1e9
		default:
			exp = 1e9
		}
	}
	var v *big.Rat
	switch mag := len(intPart) - first + exp; { // the value is under 10^mag
	case mag > maxMagnitude:
		v = farValue
	case mag < -maxMagnitude:
		v = nearValue
	default:
		v, _ = new(big.Rat).SetString(text)
		return v
	}
	if strings.HasPrefix(text, "-") {
		v = new(big.Rat).Neg(v)
	}
	return v
}

// numericDateKind is "" for a JSON number, or what the JSON value is instead.
func numericDateKind(text string) string {
	switch {
	case text == "":
		return "empty"
	case text == "null":
		return "null"
	case text == "true" || text == "false":
		return "a boolean (" + text + ")"
	case text[0] == '"':
		return "a string"
	case text[0] == '[':
		return "an array"
	case text[0] == '{':
		return "an object"
	}
	if !isJSONNumber(text) {
		return "not a number"
	}
	return ""
}

// isJSONNumber checks the JSON number grammar (RFC 8259 §6): no "+1",
// ".5", "1.", "0x10", "NaN" or "Infinity".
func isJSONNumber(s string) bool { return jsonNumber.MatchString(s) }

// jsonNumber is RFC 8259 §6's number grammar.
var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// ratTime is the instant v seconds after the epoch, to the nanosecond
// (rounded down); v must be printable.
func ratTime(v *big.Rat) time.Time {
	ns := new(big.Int).Mul(v.Num(), big.NewInt(1e9))
	ns.Div(ns, v.Denom()) // Euclidean: rounds down, also for negative values
	sec, frac := new(big.Int).DivMod(ns, big.NewInt(1e9), new(big.Int))
	return time.Unix(sec.Int64(), frac.Int64())
}

// timeRat is t as seconds since the epoch, exactly.
func timeRat(t time.Time) *big.Rat {
	ns := new(big.Int).Mul(big.NewInt(t.Unix()), big.NewInt(1e9))
	ns.Add(ns, big.NewInt(int64(t.Nanosecond())))
	return new(big.Rat).SetFrac(ns, big.NewInt(1e9))
}

func durationRat(d time.Duration) *big.Rat { return big.NewRat(int64(d), 1e9) }

// millisHint says what a NumericDate would be read as milliseconds, when it
// is large enough to be milliseconds and that reading can be printed.
func millisHint(v *big.Rat) string {
	abs := new(big.Rat).Abs(v)
	if abs.Cmp(big.NewRat(millisThreshold, 1)) < 0 {
		return ""
	}
	secs := new(big.Rat).Quo(v, big.NewRat(1000, 1))
	if secs.Cmp(firstPrintable) < 0 || secs.Cmp(pastPrintable) >= 0 {
		return ""
	}
	return "looks like milliseconds, not seconds: read as " + ratTime(secs).UTC().Format("2006-01-02 15:04:05 UTC") + " if it were; most verifiers read it as seconds"
}

// relativePhrase puts a time claim in words relative to now.
func relativePhrase(name string, v *big.Rat, now time.Time) string {
	diff := new(big.Rat).Sub(v, timeRat(now))
	past := diff.Sign() <= 0 // at now: exp has passed, nbf has come
	var h string
	switch {
	case v.Cmp(firstPrintable) < 0:
		h = "before year 1"
	case v.Cmp(pastPrintable) >= 0:
		h = "after year 9999"
	default:
		secs, _ := new(big.Rat).Abs(diff).Float64()
		h = humanSeconds(secs)
	}
	far := strings.HasPrefix(h, "before") || strings.HasPrefix(h, "after")
	phrases := map[string][4]string{ // past, future; far past, far future
		"exp":       {"expired %s ago", "valid for another %s", "expired %s", "valid until %s"},
		"nbf":       {"valid since %s ago", "not valid for another %s", "valid since %s", "not valid until %s"},
		"iat":       {"issued %s ago", "issued %s in the future", "issued %s", "issued %s (in the future)"},
		"auth_time": {"authenticated %s ago", "authenticated %s in the future", "authenticated %s", "authenticated %s (in the future)"},
	}[name]
	i := 1
	if past {
		i = 0
	}
	if far {
		i += 2
	}
	return fmt.Sprintf(phrases[i], h)
}

// humanSeconds is humanDuration for spans past what a time.Duration holds
// (292 years): NumericDates reach year 9999 and beyond.
func humanSeconds(secs float64) string {
	if secs < float64(math.MaxInt64/int64(time.Second)) {
		return humanDuration(time.Duration(secs * float64(time.Second)))
	}
	const day = 24 * 3600
	const year = 365 * day
	return joinUnits(int64(secs/year), "y", int64(math.Mod(secs, year)/day), "d")
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
// allowing skew either way. The claims are compared as exact numbers:
// fractions of a second and dates past year 9999 count.
// SkewNote says which time claim the clock skew alone made acceptable.
type SkewNote struct {
	Claim string `json:"claim"` // exp or nbf
	Note  string `json:"note"`  // "it expired 20 s ago, accepted only within the clock skew of 60 s"
}

func skewNote(tc TimeClaim, subject string, skew time.Duration) *SkewNote {
	return &SkewNote{Claim: tc.Name, Note: fmt.Sprintf("%s%s, accepted only within the clock skew of %d s", subject, tc.Relative, int64(skew/time.Second))}
}

func timeState(times []TimeClaim, now time.Time, skew time.Duration) (expired, notYet bool, reason string, withinSkew *SkewNote) {
	at, sk := timeRat(now), durationRat(skew)
	for _, tc := range times {
		if !tc.Valid {
			continue
		}
		switch tc.Name {
		case "exp": // expired when now ≥ exp + skew
			switch {
			case at.Cmp(new(big.Rat).Add(tc.value, sk)) >= 0:
				expired = true
				reason = tc.Relative
			case at.Cmp(tc.value) >= 0:
				withinSkew = skewNote(tc, "it ", skew)
			}
		case "nbf": // not yet valid when now + skew < nbf
			switch {
			case new(big.Rat).Add(at, sk).Cmp(tc.value) < 0:
				notYet = true
				if reason == "" {
					reason = tc.Relative
				}
			case at.Cmp(tc.value) < 0:
				withinSkew = skewNote(tc, "it is ", skew)
			}
		}
	}
	return expired, notYet, reason, withinSkew
}

// timeClaimRefusal refuses a token whose exp, nbf or iat is present but not
// a JSON number (null, true, [1], {}, "NaN", "1700000000"): a verifier that
// skips such a claim lets an attacker switch the check off.
func timeClaimRefusal(times []TimeClaim) string {
	for _, tc := range times {
		section, registered := registeredTimeClaims[tc.Name]
		if !registered || tc.notJSON == "" {
			continue
		}
		why := map[string]string{
			"exp": "a verifier that skips it never lets the token expire",
			"nbf": "a verifier that skips it accepts the token before its time",
			"iat": "verifiers disagree on what it means",
		}[tc.Name]
		return fmt.Sprintf("claim %q is %s, not a NumericDate (RFC 7519 %s: a JSON number of seconds since 1970): refused, since %s", tc.Name, tc.notJSON, section, why)
	}
	return ""
}
