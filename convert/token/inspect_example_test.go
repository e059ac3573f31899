package token_test

import (
	"fmt"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/token"
)

// Inspect the RFC 7515 A.3 ES256 example before and after its exp.
func ExampleInspect() {
	key, _ := jwk.ParseKey([]byte(`{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}`))
	src := token.NewKeySource("RFC 7515 key", []jwk.Key{key})
	tok := "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
	for _, now := range []string{"2011-03-22T18:00:00Z", "2011-03-22T21:55:00Z"} {
		at, _ := time.Parse(time.RFC3339, now)
		r, err := token.Inspect(tok, src, token.InspectOptions{Now: at, Skew: token.DefaultSkew})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: %s (%s)\n", now, r.State, r.Verdict)
	}
	// Output:
	// 2011-03-22T18:00:00Z: verified (Verified with the key with thumbprint oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U)
	// 2011-03-22T21:55:00Z: expired (Signature valid but expired 3 h 12 min ago (verified with the key with thumbprint oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U))
}
