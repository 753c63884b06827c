package bench

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cpuSelf is the user and system CPU time this process has used.
func cpuSelf() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuMachine is the CPU time the whole machine has been busy (user, nice,
// system, irq and softirq of every CPU; Linux /proc/stat, 0 elsewhere), in clock
// ticks of 10 ms. The machine's time minus this process's is what PostgreSQL
// (and anything else running) used: counting postgres processes one by one
// misses those that exit, such as autovacuum workers, and charges their CPU to
// whichever measurement was running when they ended.
func cpuMachine() time.Duration {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal …
	if len(f) < 8 || f[0] != "cpu" {
		return 0
	}
	var ticks int64
	for _, i := range []int{1, 2, 3, 6, 7} {
		n, _ := strconv.ParseInt(f[i], 10, 64)
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}
