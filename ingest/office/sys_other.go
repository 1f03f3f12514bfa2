//go:build !unix

package office

import (
	"os/exec"
	"path/filepath"
)

func setProcessGroup(cmd *exec.Cmd) {}

// acquireProfile uses a throwaway profile inside the conversion's temp dir.
func acquireProfile(tmp string) (string, func(), error) {
	return filepath.Join(tmp, "profile"), func() {}, nil
}
