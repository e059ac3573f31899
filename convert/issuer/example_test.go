package issuer_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/jwkdesk/jwkdesk/convert/issuer"
	"github.com/lestrrat-go/jwx/v3/jwk"
)

// exampleEntry is how a caller makes an entry: the public JWK as the
// engine's public export writes it, the private key that signs, a role.
func exampleEntry(kid string, role issuer.Role) issuer.Entry {
	raw, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	priv, _ := jwk.Import(raw)
	pub, _ := jwk.PublicKeyOf(priv)
	_ = pub.Set("kid", kid)
	_ = pub.Set("alg", "ES256")
	public, _ := json.Marshal(pub)
	return issuer.Entry{Kid: kid, Public: public, Private: priv, Alg: "ES256", Role: role}
}

// The rehearsal as the JWKS tab and `jwkdesk serve` drive it: serve, publish
// the next key, switch the signer, retire the old key, and read the
// timeline and the request log.
func Example() {
	s, err := issuer.New(issuer.Config{
		Port:   0, // a free port
		Claims: issuer.Claims{Audience: []string{"orders-api"}, Extra: json.RawMessage(`{"tenant":"acme"}`)},
	}, []issuer.Entry{exampleEntry("2026-01", issuer.Signer), exampleEntry("2026-07", issuer.Retired)})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := s.Start(); err != nil {
		fmt.Println(err)
		return
	}
	defer s.Stop(context.Background())
	fmt.Println(strings.HasPrefix(s.URL(), "http://127.0.0.1:"))

	resp, _ := http.PostForm(s.URL()+issuer.TokenPath, url.Values{"grant_type": {"client_credentials"}, "client_id": {"svc"}})
	resp.Body.Close()

	_ = s.PublishNext("2026-07")
	_ = s.SwitchSigner("") // the next key signs; 2026-01 is retiring
	_ = s.Retire("2026-01")
	fmt.Println("signer:", s.Signer())

	for _, st := range s.Timeline() {
		fmt.Println(st.Action, st.Kids)
	}
	log, _ := s.Log()
	fmt.Println(log[0].Method, log[0].Path, log[0].Status, log[0].Kid)
	// Output:
	// true
	// signer: 2026-07
	// keys [2026-01 2026-07]
	// start []
	// publish next [2026-07]
	// switch signer [2026-07 2026-01]
	// retire [2026-01]
	// POST /token 200 2026-01
}
