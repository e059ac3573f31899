package keyset

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// privateIn walks JSON and returns the first member name that is private
// for some kty (RFC 7517 §8.1: d, p, q, dp, dq, qi, oth, k), anywhere.
func privateIn(v any, path string) string {
	switch x := v.(type) {
	case map[string]any:
		for name, m := range x {
			if keys.IsPrivateMember(name) {
				return path + "." + name
			}
			if p := privateIn(m, path+"."+name); p != "" {
				return p
			}
		}
	case []any:
		for i, m := range x {
			if p := privateIn(m, fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	}
	return ""
}

func checkNoPrivate(t *testing.T, what string, data []byte, step string) {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s after %s: %v", what, step, err)
	}
	if p := privateIn(v, ""); p != "" {
		t.Fatalf("%s holds the private member %s after %s", what, p, step)
	}
}

// Property (issue 19, RFC 7517 §8.1): whatever sequence of edits the
// workspace goes through (add private keys and secrets, rotate, reorder,
// remove, set kid, set a note), neither the public state file
// (MarshalState) nor the public export (ExportPublic, what is published and
// served) ever holds a private member; the private keys are what the
// keystore keeps (Private).
func TestNothingPrivateReachesPublicOutputsRFC7517_8_1(t *testing.T) {
	var pool []jwk.Key
	for _, s := range []keys.Spec{{Kty: keys.KtyRSA, Size: 2048}, {Kty: keys.KtyEC}, {Kty: keys.KtyEC, Crv: "P-384"}, {Kty: keys.KtyOKP, Crv: keys.CrvEd25519},
		{Kty: keys.KtyOKP, Crv: keys.CrvX25519, Use: keys.UseEnc}, {Kty: keys.KtyOct}, {Kty: keys.KtyOct, Size: 512}, {Kty: keys.KtyEC, Crv: "secp256k1"}} {
		g, err := keys.Generate(s)
		if err != nil {
			t.Fatal(err)
		}
		pool = append(pool, g.Private)
		if g.Public != nil { // an oct secret has no public half
			pool = append(pool, g.Public)
		}
	}
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 19))
		ws := NewWorkspace()
		var log []string
		for range 25 {
			step := edit(r, ws, pool)
			log = append(log, step)
			where := fmt.Sprintf("seed %d, %v", seed, log)
			st, err := ws.MarshalState()
			if err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			checkNoPrivate(t, "the state file", st, where)
			if pub, _, err := ws.ExportPublic(); err == nil {
				checkNoPrivate(t, "the public JWKS", pub, where)
			}
			for _, k := range ws.Private() {
				if !keys.IsPrivate(k) {
					t.Fatalf("%s: a public key among the keystore's", where)
				}
			}
		}
	}
}

// edit applies one random edit and names it.
func edit(r *rand.Rand, ws *Workspace, pool []jwk.Key) string {
	n := ws.Len()
	switch op := r.IntN(6); {
	case op == 0 || n == 0:
		k := pool[r.IntN(len(pool))]
		_, _ = ws.Add("generated", k)
		return "add " + keys.DescribeKey(k)
	case op == 1:
		if _, err := ws.Rotate(); err != nil {
			return "rotate (refused)"
		}
		return "rotate"
	case op == 2 && n > 1:
		i := r.IntN(n - 1)
		_ = ws.Move(i, 1)
		return fmt.Sprintf("move %d down", i)
	case op == 3:
		i := r.IntN(n)
		_ = ws.Remove(i)
		return fmt.Sprintf("remove %d", i)
	case op == 4:
		i := r.IntN(n)
		_ = ws.SetKid(i, fmt.Sprintf("kid-%d", r.IntN(5)))
		return fmt.Sprintf("set kid %d", i)
	}
	i := r.IntN(n)
	_ = ws.SetNote(i, Notes()[r.IntN(3)])
	return fmt.Sprintf("note %d", i)
}
