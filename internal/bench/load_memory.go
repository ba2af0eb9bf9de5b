package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// Memory is the server's resident memory during a load run.
type Memory struct {
	// PeakBytes is the largest process_resident_memory_bytes that /metrics
	// reported, sampled every second; Samples says how many answered.
	PeakBytes int64  `json:"peak_bytes"`
	Samples   int    `json:"samples"`
	Error     string `json:"error,omitempty"` // why /metrics gave nothing, if it did not
	// HWMBytes is the process's VmHWM (peak since it started) when its
	// PID was given.
	PID      int    `json:"pid,omitempty"`
	HWMBytes int64  `json:"hwm_bytes,omitempty"`
	HWMError string `json:"hwm_error,omitempty"`
}

// memorySampler reads the server's resident memory from /metrics. It runs
// in one goroutine; result is read after it stops.
type memorySampler struct {
	url, token string
	client     *http.Client
	mem        Memory
	lastErr    string
}

func newMemorySampler(base, token string, transport http.RoundTripper) *memorySampler {
	return &memorySampler{url: base + "/metrics", token: token, client: &http.Client{Transport: transport}}
}

func (m *memorySampler) run(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		m.sample(ctx)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func (m *memorySampler) sample(ctx context.Context) {
	if ctx.Err() != nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	v, err := m.fetch(ctx)
	if err != nil {
		m.lastErr = err.Error()
		return
	}
	m.mem.Samples++
	m.mem.PeakBytes = max(m.mem.PeakBytes, v)
}

func (m *memorySampler) fetch(ctx context.Context) (int64, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", m.url, nil)
	if m.token != "" {
		req.Header.Set("Authorization", "Bearer "+m.token)
	}
	res, err := m.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 8<<20))
	if err != nil {
		return 0, err
	}
	switch res.StatusCode {
	case http.StatusOK:
	case http.StatusUnauthorized:
		return 0, fmt.Errorf("/metrics: HTTP 401 (--metrics-token?)")
	default:
		return 0, fmt.Errorf("/metrics: HTTP %d", res.StatusCode)
	}
	v, ok := promGauge(body, "process_resident_memory_bytes")
	if !ok {
		return 0, fmt.Errorf("/metrics: no process_resident_memory_bytes")
	}
	return int64(v), nil
}

func (m *memorySampler) result() Memory {
	mem := m.mem
	if mem.Samples == 0 {
		mem.Error = m.lastErr
	}
	return mem
}

// promGauge finds an unlabelled sample in Prometheus' text format.
func promGauge(text []byte, name string) (float64, bool) {
	lines := bufio.NewScanner(bytes.NewReader(text))
	lines.Buffer(nil, 1<<20)
	for lines.Scan() {
		rest, ok := strings.CutPrefix(lines.Text(), name)
		if !ok || !strings.HasPrefix(rest, " ") {
			continue
		}
		f := strings.Fields(rest)
		if v, err := strconv.ParseFloat(f[0], 64); err == nil {
			return v, true
		}
	}
	return 0, false
}

// vmHWM is a process's peak resident memory, from /proc/<pid>/status.
func vmHWM(pid int) (int64, string) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err.Error()
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest) // "123456 kB"
			if n, err := strconv.ParseInt(f[0], 10, 64); err == nil && len(f) == 2 && f[1] == "kB" {
				return n << 10, ""
			}
		}
	}
	return 0, "no VmHWM in /proc/" + strconv.Itoa(pid) + "/status"
}
