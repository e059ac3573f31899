package encjwk_test

import (
	"fmt"
	"testing"

	"github.com/jwkdesk/jwkdesk/convert/keys/encjwk"
)

// The derivation is the whole cost of Open and Seal: these measure it at
// the counts that matter (step's 100,000, Seal's 600,000, the read cap of
// 10,000,000) and report it per PBKDF2 iteration too, the unit price behind
// Info.Estimate. Run them one op at a time:
//
//	go test -tags jwx_es256k -run '^$' -bench 'Open|Seal|Derive' -benchtime 1x -count 3 ./convert/keys/encjwk/

func perIteration(b *testing.B, count int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(count), "ns/iteration")
}

// BenchmarkOpen: unlock times at p2c 600,000 (what Seal writes) and at the
// read cap, for the JWK Set of every key kind.
func BenchmarkOpen(b *testing.B) {
	_, set := keys(b)
	for _, count := range []int{encjwk.WriteFloor, encjwk.ReadCap} {
		b.Run(fmt.Sprintf("PBES2-HS512+A256KW/p2c=%d", count), func(b *testing.B) {
			in := mint(b, set, encjwk.DefaultAlg, count, defaultProtectedKS, "flattened")
			for b.Loop() {
				if _, _, err := encjwk.Open(in, testPass, encjwk.OpenOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			perIteration(b, count)
		})
	}
}

// BenchmarkSeal: the same from the writing side.
func BenchmarkSeal(b *testing.B) {
	_, set := keys(b)
	for _, count := range []int64{encjwk.WriteFloor, encjwk.ReadCap} {
		b.Run(fmt.Sprintf("PBES2-HS512+A256KW/p2c=%d", count), func(b *testing.B) {
			for b.Loop() {
				if _, err := encjwk.Seal(set, testPass, encjwk.SealOptions{Count: count}); err != nil {
					b.Fatal(err)
				}
			}
			perIteration(b, int(count))
		})
	}
}

// BenchmarkDerive: the price of one iteration of each PBES2 algorithm, at
// step's p2c of 100,000.
func BenchmarkDerive(b *testing.B) {
	key, _ := keys(b)
	const count = 100_000
	for _, alg := range pbes2Algs {
		b.Run(alg, func(b *testing.B) {
			in := mint(b, key, alg, count, defaultProtected, "compact")
			for b.Loop() {
				if _, _, err := encjwk.Open(in, testPass, encjwk.OpenOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			perIteration(b, count)
		})
	}
}
