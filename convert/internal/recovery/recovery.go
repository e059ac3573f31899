// Package recovery turns a panic inside an engine operation into an error,
// so that no input can take the app (and the user's work) down.
package recovery

import "fmt"

// Into, deferred, turns a panic into *err, saying what was being done:
//
//	defer recovery.Into(&err, "reading the input")
func Into(err *error, doing string) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("internal error while %s: %v", doing, r)
	}
}
