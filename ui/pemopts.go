package ui

import (
	"slices"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// The PEM / JWK tab's Use and Algorithm lists offer only what fits the keys
// read from the input (before the options are applied) and, for Algorithm,
// the use chosen (or the key's own). A choice that no longer fits (another
// key was pasted, Use changed) goes back to "(keep)", and the status line
// says so: the tab is never left in a state only editing the input leaves.

// sourceKeys are the keys as read from the input, before kid, use and alg
// are applied (nil when nothing was read).
func (t *pemTab) sourceKeys() []jwk.Key {
	if t.parsed == nil {
		return nil
	}
	return t.parsed.Keys()
}

// optionLists are the Use and Algorithm choices for keys (as read), the
// algs for use ("" is the key's own use, or either): "(keep)" first.
func optionLists(list []jwk.Key, use string) (uses, algs []string) {
	uses = []string{keepValue}
	for _, u := range []string{keys.UseSig, keys.UseEnc} {
		if len(list) == 0 || allFitUse(list, u) {
			uses = append(uses, u)
		}
	}
	algs = []string{keepValue}
	if len(list) == 1 {
		if use == "" {
			use, _ = list[0].KeyUsage()
		}
		algs = append(algs, keys.AlgsForKey(list[0], use)...)
	}
	return uses, algs
}

// fitOptions drops from o the use and alg that the lists would not offer
// for keys: a conversion runs with what the lists will show. It runs off
// the main goroutine, on the keys just read.
func fitOptions(keys []jwk.Key, o keys.KeyOptions) keys.KeyOptions {
	uses, _ := optionLists(keys, "")
	if o.Use != "" && !slices.Contains(uses, o.Use) {
		o.Use = ""
	}
	if _, algs := optionLists(keys, o.Use); o.Alg != "" && !slices.Contains(algs, o.Alg) {
		o.Alg = ""
	}
	return o
}

// fillOptionLists offers the uses and algs that fit the source keys, as
// fitOptions applied them. It reports the choice it dropped ("" when none).
func (t *pemTab) fillOptionLists() (dropped string) {
	keys := t.sourceKeys()
	t.fillingOpts = true
	defer func() { t.fillingOpts = false }()
	uses, _ := optionLists(keys, "")
	if !slices.Contains(uses, t.useSel.Selected) {
		dropped = "Use " + t.useSel.Selected
		t.useSel.SetSelected(keepValue)
	}
	t.useSel.Options = uses
	t.useSel.Refresh()
	_, algs := optionLists(keys, fromKeep(t.useSel.Selected))
	if sel := t.algSel.Selected; len(keys) > 0 && !slices.Contains(algs, sel) {
		if dropped == "" {
			dropped = "Algorithm " + sel
		}
		t.algSel.SetSelected(keepValue)
	}
	t.algSel.Options = algs
	t.algSel.Refresh()
	return dropped
}

func allFitUse(list []jwk.Key, use string) bool {
	for _, k := range list {
		if !slices.Contains(keys.UsesForKey(k), use) {
			return false
		}
	}
	return true
}

func fromKeep(s string) string {
	if s == keepValue {
		return ""
	}
	return s
}

// resetOptions puts kid, use and alg back to their defaults (Clear).
func (t *pemTab) resetOptions() {
	t.fillingOpts = true
	t.kidSel.SetSelected(kidKeep)
	t.useSel.SetSelected(keepValue)
	t.algSel.SetSelected(keepValue)
	t.useSel.Options = []string{keepValue, keys.UseSig, keys.UseEnc}
	t.algSel.Options = []string{keepValue}
	t.fillingOpts = false
	setEnabled(t.kidEntry, false)
	showErr(t.optErr, nil)
}

// useChoices is first and the uses that fit k, and k's own use if it
// has one that does not fit (so the list can show the key as it is).
func useChoices(first string, k jwk.Key) []string {
	out := append([]string{first}, keys.UsesForKey(k)...)
	if use, ok := k.KeyUsage(); ok && use != "" && !slices.Contains(out, use) {
		out = append(out, use)
	}
	return out
}
