package ui

import "github.com/jwkdesk/jwkdesk/convert/token"

// bannerOf is the JWT tab banner's state (its colour) and text for a
// report. A token whose signature verified but whose exp has passed (or
// whose nbf is ahead), accepted only because of the clock skew, is never a
// plain green "Verified": it is amber and says so in the banner itself.
func bannerOf(r *token.Report) (state, text string) {
	if r.State != token.StateVerified || r.WithinSkew == nil {
		return r.State, r.Verdict
	}
	state = token.StateExpired
	if r.WithinSkew.Claim == "nbf" {
		state = token.StateNotYetValid
	}
	return state, r.Verdict + " — but " + r.WithinSkew.Note
}

// showSigned scrolls the JWT tab's left column to the signed token, where
// the eye is after pressing Sign (it appeared below the fold).
func (t *jwtTab) showSigned() {
	t.left.Refresh()
	t.leftScroll.Refresh()
	t.leftScroll.ScrollToBottom()
}
