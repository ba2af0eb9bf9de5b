package main

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"guichet/internal/channel/kaufland/kauflandfake"
)

// TestMeasureIdleKauflandChannels (opt-in: GUICHET_MEASURE_IDLE=1) runs
// `guichet serve` on SQLite with 20 Kaufland channels on a fake that has
// nothing new, at the default schedule, for GUICHET_MEASURE_IDLE_FOR
// (default 4m), and logs the CPU time the process used and the requests
// the fake received, both per hour. It asserts nothing about time.
//
//	GUICHET_MEASURE_IDLE=1 go test ./cmd/guichet -run MeasureIdle -v -timeout 10m
func TestMeasureIdleKauflandChannels(t *testing.T) {
	if os.Getenv("GUICHET_MEASURE_IDLE") != "1" {
		t.Skip("set GUICHET_MEASURE_IDLE=1 to measure")
	}
	span := 4 * time.Minute
	if d, err := time.ParseDuration(os.Getenv("GUICHET_MEASURE_IDLE_FOR")); err == nil {
		span = d
	}
	fake, err := kauflandfake.New(kauflandfake.WithRealClock())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.SetURL(srv.URL)
	data := t.TempDir()
	key := make([]byte, 32)
	rand.Read(key)
	env := append(os.Environ(), "GUICHET_TEST_MAIN=1", "GUICHET_SECRET_KEY="+hex.EncodeToString(key), "GUICHET_DATA="+data,
		"GUICHET_DATABASE=", "GUICHET_TEST_SYNC_TICK=", "GUICHET_TEST_CHANNELS=")
	st := fake.Settings()
	for i := range 20 {
		cmd := exec.Command(os.Args[0], "channel", "add", "--kind", "kaufland", "--name", fmt.Sprintf("Kaufland %d", i+1),
			"--setting", "base_url="+st["base_url"], "--setting", "client_key="+st["client_key"],
			"--setting", "secret_key="+st["secret_key"], "--setting", "storefront=de")
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("channel add: %v\n%s", err, out)
		}
	}
	before := len(fake.Requests())
	cmd := exec.Command(os.Args[0], "serve", "--addr", "127.0.0.1:0")
	cmd.Env = env
	out, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	for lines := bufio.NewScanner(out); lines.Scan(); {
		if strings.HasPrefix(lines.Text(), "guichet écoute sur ") {
			break
		}
	}
	go io.Copy(io.Discard, out)
	began := time.Now()
	cpu0 := cpuSeconds(t, cmd.Process.Pid)
	time.Sleep(span)
	cpu := cpuSeconds(t, cmd.Process.Pid) - cpu0
	el := time.Since(began)
	reqs := len(fake.Requests()) - before
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	perHour := float64(time.Hour) / float64(el)
	t.Logf("20 idle Kaufland channels for %v: %.2f s CPU (%.1f s/h, %.3f %% of a core), %d requests (%.0f/h, %.1f per channel per hour)",
		el.Round(time.Second), cpu, cpu*perHour, 100*cpu/el.Seconds(), reqs, float64(reqs)*perHour, float64(reqs)*perHour/20)
	if v := fake.Violations(); len(v) > 0 {
		t.Errorf("spec violations: %v", v)
	}
}

// cpuSeconds is utime+stime of a process, from /proc/<pid>/stat.
func cpuSeconds(t *testing.T, pid int) float64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		t.Fatal(err)
	}
	// Fields after the command name, which is in parentheses.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	utime, _ := strconv.ParseFloat(f[11], 64)
	stime, _ := strconv.ParseFloat(f[12], 64)
	return (utime + stime) / 100 // USER_HZ
}
