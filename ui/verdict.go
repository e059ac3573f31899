package ui

import (
	"fmt"
	"time"

	"github.com/jwkdesk/jwkdesk/convert"
)

// bannerOf is the JWT tab banner's state (its colour) and text for a
// report. A token whose signature verified but whose exp has passed (or
// whose nbf is ahead), accepted only because of the clock skew, is never a
// plain green "Verified": it is amber and says so in the banner itself.
func bannerOf(r *convert.Report) (state, text string) {
	if r.State != convert.StateVerified {
		return r.State, r.Verdict
	}
	for _, tc := range r.Times {
		if !tc.Valid {
			continue
		}
		at := time.Unix(tc.Unix, 0)
		switch {
		case tc.Name == "exp" && !r.Now.Before(at):
			return convert.StateExpired, fmt.Sprintf("%s — but it %s, accepted only within the clock skew of %s", r.Verdict, tc.Relative, skewText(r.Skew))
		case tc.Name == "nbf" && r.Now.Before(at):
			return convert.StateNotYetValid, fmt.Sprintf("%s — but it is %s, accepted only within the clock skew of %s", r.Verdict, tc.Relative, skewText(r.Skew))
		}
	}
	return r.State, r.Verdict
}

// skewText is the report's skew ("1h0m0s") in the words of the skew field.
func skewText(s string) string {
	d, err := time.ParseDuration(s)
	if err != nil {
		return s
	}
	return fmt.Sprintf("%d s", int(d/time.Second))
}

// showSigned scrolls the JWT tab's left column to the signed token, where
// the eye is after pressing Sign (it appeared below the fold).
func (t *jwtTab) showSigned() {
	t.left.Refresh()
	t.leftScroll.Refresh()
	t.leftScroll.ScrollToBottom()
}
