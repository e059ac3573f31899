package convert

import "testing"

func TestWorkspaceDedupeAndOrder(t *testing.T) {
	ws := NewWorkspace()
	a, _ := Generate(Spec{Kty: KtyEC})
	b, _ := Generate(Spec{Kty: KtyOKP})
	c, _ := Generate(Spec{Kty: KtyOct})
	res, err := ws.Add("generated", a.Private, b.Public, c.Private)
	if err != nil || res.Added != 3 {
		t.Fatalf("add: %+v %v", res, err)
	}
	// The same key again — public half, other kid — is a duplicate by thumbprint.
	again, _ := a.Public.Clone()
	_ = again.Set("kid", "another-kid")
	res, _ = ws.Add("pasted", again, c.Private)
	if res.Added != 0 || len(res.Duplicates) != 2 || res.Duplicates[0] != "another-kid" {
		t.Errorf("duplicates: %+v", res)
	}
	if err := ws.Move(2, -2); err != nil {
		t.Fatal(err)
	}
	if ws.Entries()[0].Thumbprint != "" || ws.Entries()[1].Thumbprint != a.Thumbprint.Value {
		t.Error("move")
	}
	if ws.Move(0, -1) == nil || ws.Remove(5) == nil {
		t.Error("out-of-range move/remove accepted")
	}
	if err := ws.Remove(0); err != nil || ws.Len() != 2 || len(ws.Keys()) != 2 {
		t.Error("remove")
	}
}
