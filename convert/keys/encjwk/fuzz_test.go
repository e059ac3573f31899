package encjwk_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwe"

	"github.com/jwkdesk/jwkdesk/convert/keys/encjwk"
)

// fuzzCap keeps each run cheap: a p2c over it is refused before deriving
// (which is itself under test), so no input costs more than 10,000
// iterations however the fuzzer writes p2c.
const fuzzCap = 10_000

// FuzzOpen: whatever the bytes and passphrase, Open neither panics nor
// derives past its cap; an error is an *encjwk.Error of the kind Inspect
// gives when Inspect refuses; a success is a PBES2 JWE whose plaintext is a
// JSON object with "kty" or "keys", and Detect says yes to it.
func FuzzOpen(f *testing.F) {
	key, jwks := keys(f)
	for _, form := range forms {
		f.Add(mint(f, key, "PBES2-HS256+A128KW", lowCount, defaultProtected, form), testPass)
		f.Add(mint(f, jwks, "PBES2-HS512+A256KW", 2000, defaultProtectedKS, form), testPass)
	}
	f.Add(mint(f, []byte(`{"sub":"x"}`), "PBES2-HS384+A192KW", lowCount, nil, "flattened"), testPass)
	f.Add(mint(f, key, "PBES2-HS256+A128KW", lowCount, defaultProtected, "compact", jwe.WithCompress(jwa.Deflate())), testPass)
	files, _ := filepath.Glob(filepath.Join(stepDir, "*.priv.json"))
	files = append(files, filepath.Join(stepDir, "ca-provisioner.jwe"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, []byte("jwkdesk step fixture passphrase"))
	}
	hostile := []string{
		string(fake(rawP2C("99999999999999999999999"))),
		string(fake(rawP2C("10000001"))),
		string(fake(rawP2C("-1"))),
		string(fake(strings.Replace(stepHeader, "{", `{"alg":"dir",`, 1))),
		string(fake(set("alg", "RSA-OAEP-256"))),
		string(fake(set("crit", []string{"b64"}))),
		string(fake(set("zip", "DEF"))),
		string(fakeJSON(map[string]any{"protected": stepHeader, "recipients": []any{map[string]any{}, map[string]any{}}, "encrypted_key": nil})),
		string(fakeJSON(map[string]any{"protected": `{"enc":"A256GCM"}`, "header": map[string]any{"alg": "PBES2-HS256+A128KW", "p2c": 1000, "p2s": "AAAAAAAAAAA"}})),
		`{"ciphertext":"","protected":"e30","protected":"e30"}`,
		"....", "{", `{"ciphertext":1}`, "\x00\xff", "",
	}
	for _, h := range hostile {
		f.Add([]byte(h), testPass)
	}
	f.Fuzz(func(t *testing.T, data, pass []byte) {
		plain, info, err := encjwk.Open(data, pass, encjwk.OpenOptions{MaxCount: fuzzCap})
		if err != nil {
			checkRefusal(t, data, err)
			return
		}
		checkOpened(t, data, plain, info)
	})
}

// checkRefusal: Open's error is an *encjwk.Error, of Inspect's kind when
// Inspect refuses too.
func checkRefusal(t *testing.T, data []byte, err error) {
	var e *encjwk.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T is not an *encjwk.Error: %v", err, err)
	}
	_, ierr := encjwk.Inspect(data)
	if ierr != nil && !errors.Is(err, ierr.(*encjwk.Error).Kind) &&
		!errors.Is(ierr, encjwk.ErrCountOverCap) { // Inspect's cap is ReadCap, Open's here lower
		t.Fatalf("Inspect says %v, Open %v", ierr, err)
	}
}

// checkOpened: what opened is within the rules.
func checkOpened(t *testing.T, data, plain []byte, info encjwk.Info) {
	if info.P2C > fuzzCap || info.P2C < encjwk.ReadFloor || !strings.HasPrefix(info.Alg, "PBES2-") {
		t.Fatalf("opened outside the rules: %+v", info)
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(plain, &obj) != nil || (obj["kty"] == nil) == (obj["keys"] == nil) {
		t.Fatalf("opened, but the plaintext is not a JWK or JWK Set (%v)", info.Content)
	}
	if _, ok := encjwk.Detect(data); !ok {
		t.Fatal("opened, but Detect says no")
	}
}
