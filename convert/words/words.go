// Package words writes counts and sizes the way JWK Desk says them, in the
// engine's messages and on both faces: "1 key", "3 keys", "9,990", "1 MiB".
package words

import (
	"fmt"
	"strconv"
)

// Plural is "1 key" or "3 keys": every count the engine writes goes through
// it (never "1 keys" or "key(s)").
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Thousands writes n with thousands separators: 9990 → "9,990".
func Thousands(n int) string {
	if n < 0 {
		return "-" + Thousands(-n)
	}
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Size writes a byte count as people read it: 4 KiB, 1 MiB, 1.5 GiB.
func Size(n int64) string {
	units := []string{"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	v, i := float64(n), 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d %s", int64(v), units[i])
	}
	return fmt.Sprintf("%.1f %s", v, units[i])
}
