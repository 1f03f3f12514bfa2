//go:build unix

package office

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

// setProcessGroup starts soffice in its own process group and makes the
// context's cancellation kill the whole group (soffice.bin included).
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		if cmd.Process == nil {
			return nil
		}
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}

// maxSlots is how many reusable LibreOffice profiles may exist per user.
const maxSlots = 8

// acquireProfile returns a LibreOffice profile directory for one conversion.
// Creating a profile costs several seconds, so profiles are kept in the temp
// dir and reused across conversions and runs; an exclusive flock on the
// slot's lock file keeps two conversions (threads or processes) from sharing
// one. When every slot is busy, a throwaway profile is used.
func acquireProfile(tmp string) (dir string, release func(), err error) {
	base := filepath.Join(os.TempDir(), fmt.Sprintf("registre-soffice-%d", os.Getuid()))
	if err := os.MkdirAll(base, 0o700); err == nil {
		for i := 0; i < maxSlots; i++ {
			f, err := os.OpenFile(filepath.Join(base, fmt.Sprintf("slot-%d.lock", i)), os.O_CREATE|os.O_RDWR, 0o600)
			if err != nil {
				break
			}
			if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
				f.Close()
				continue
			}
			return filepath.Join(base, fmt.Sprintf("slot-%d", i)), func() {
				syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				f.Close()
			}, nil
		}
	}
	return filepath.Join(tmp, "profile"), func() {}, nil
}
