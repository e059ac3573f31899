package cli

import (
	"fmt"
	"strings"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// warnDropped says on stderr what the public forms of keys left out
// (convert.PublicJWK: the allow-list), for a command that printed them.
func warnDropped(env Env, cmd string, list []jwk.Key) {
	for i, k := range list {
		_, d, err := keys.PublicJWK(k)
		if err != nil || len(d.Other) == 0 {
			continue // private members are expected in a private input
		}
		who := "the key"
		if len(list) > 1 {
			who = fmt.Sprintf("key %d", i+1)
		}
		fmt.Fprintf(env.Stderr, "jwkdesk: %s: %s: %d member(s) outside the public allow-list dropped: %s\n", cmd, who, len(d.Other), strings.Join(d.Other, ", "))
	}
}
