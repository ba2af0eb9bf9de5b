package desk_test

import (
	"bufio"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// serverCPU is the CPU time used so far by the PostgreSQL backends serving
// this process's connections (found by their client ports, so that other
// processes on the same server do not count), by backend pid. The server
// must run on this machine; on SQLite, or when it cannot be read, nil.
func serverCPU(tb testing.TB, db *sql.DB) map[int]time.Duration {
	tb.Helper()
	ports := ownPostgresPorts()
	if len(ports) == 0 {
		return nil
	}
	list := make([]string, len(ports))
	for i, p := range ports {
		list[i] = strconv.Itoa(p)
	}
	rows, err := db.QueryContext(ctx, `SELECT pid FROM pg_stat_activity WHERE client_port IN (`+strings.Join(list, ", ")+`)`)
	if err != nil {
		return nil
	}
	defer rows.Close()
	cpu := map[int]time.Duration{}
	for rows.Next() {
		var pid int
		if rows.Scan(&pid) != nil {
			return nil
		}
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			return nil // not on this machine
		}
		// fields after the command's closing parenthesis: utime is the 12th, stime the 13th (clock ticks of 10 ms)
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		user, _ := strconv.Atoi(f[11])
		system, _ := strconv.Atoi(f[12])
		cpu[pid] = time.Duration(user+system) * 10 * time.Millisecond
	}
	return cpu
}

// serverCPUSince is the backends' CPU time between two serverCPU readings
// (a backend started in between counts whole).
func serverCPUSince(before, after map[int]time.Duration) time.Duration {
	var d time.Duration
	for pid, t := range after {
		d += t - before[pid]
	}
	return d
}

// ownPostgresPorts are the local ports of this process's TCP connections
// to port 5432.
func ownPostgresPorts() []int {
	inodes := map[string]bool{}
	fds, _ := filepath.Glob("/proc/self/fd/*")
	for _, fd := range fds {
		if l, err := os.Readlink(fd); err == nil && strings.HasPrefix(l, "socket:[") {
			inodes[strings.TrimSuffix(strings.TrimPrefix(l, "socket:["), "]")] = true
		}
	}
	var ports []int
	for _, table := range []string{"/proc/self/net/tcp", "/proc/self/net/tcp6"} {
		f, err := os.Open(table)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 10 || !inodes[fields[9]] || !strings.HasSuffix(fields[2], ":1538") { // 5432
				continue
			}
			if port, err := strconv.ParseInt(fields[1][strings.LastIndexByte(fields[1], ':')+1:], 16, 32); err == nil {
				ports = append(ports, int(port))
			}
		}
		f.Close()
	}
	return ports
}
