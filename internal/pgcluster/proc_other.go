//go:build !unix

package pgcluster

import "os/exec"

// account is the user the server runs as; only used on Unix.
type account struct{}

func serverAccount(string) (*account, error)   { return nil, nil }
func (a *account) apply(*exec.Cmd)             {}
func (a *account) own(string) error            { return nil }
func (a *account) checkReachable(string) error { return nil }
func processAlive(int) bool                    { return false }
func isPostmasterOf(int, string) bool          { return false }
