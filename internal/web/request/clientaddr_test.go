package request

import "testing"

func TestClientAddr(t *testing.T) {
	trusted, err := ParseProxies("10.0.0.1, 192.168.0.0/16, ::1")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		remote string
		xff    []string
		want   string
	}{
		{"no proxy", "203.0.113.5:4321", nil, "203.0.113.5"},
		{"untrusted peer: its header is ignored", "203.0.113.5:4321", []string{"1.2.3.4"}, "203.0.113.5"},
		{"trusted peer, one hop", "10.0.0.1:80", []string{"198.51.100.7"}, "198.51.100.7"},
		{"trusted peer, no header", "10.0.0.1:80", nil, "10.0.0.1"},
		{"forged left part is never read", "10.0.0.1:80", []string{"6.6.6.6, 198.51.100.7"}, "198.51.100.7"},
		{"chain of trusted proxies skipped", "10.0.0.1:80", []string{"198.51.100.7, 192.168.3.4"}, "198.51.100.7"},
		{"several header lines, in order", "10.0.0.1:80", []string{"6.6.6.6", "198.51.100.7", "192.168.3.4"}, "198.51.100.7"},
		{"spaces and a port", "10.0.0.1:80", []string{" 198.51.100.7:5555 ,192.168.1.1 "}, "198.51.100.7"},
		{"every hop trusted: the leftmost", "10.0.0.1:80", []string{"192.168.1.2, 192.168.1.1"}, "192.168.1.2"},
		{"garbage stops at the proxy before it", "10.0.0.1:80", []string{"198.51.100.7, garbage"}, "10.0.0.1"},
		{"garbage left of the client is not read", "10.0.0.1:80", []string{"garbage, 198.51.100.7"}, "198.51.100.7"},
		{"IPv6 peer", "[::1]:8080", []string{"2001:db8::5"}, "2001:db8::5"},
		{"IPv6 client with a port", "[::1]:8080", []string{"[2001:db8::5]:443"}, "2001:db8::5"},
		{"IPv4-mapped peer is the IPv4 proxy", "[::ffff:10.0.0.1]:80", []string{"198.51.100.7"}, "198.51.100.7"},
		{"a proxy's neighbour is not trusted", "10.0.0.2:80", []string{"198.51.100.7"}, "10.0.0.2"},
		{"unparsable peer kept as is", "@unix", []string{"198.51.100.7"}, "@unix"},
	} {
		if got := ClientAddr(tc.remote, tc.xff, trusted); got != tc.want {
			t.Errorf("%s: ClientAddr(%q, %q) = %q; want %q", tc.name, tc.remote, tc.xff, got, tc.want)
		}
	}
	if got := ClientAddr("10.0.0.1:80", []string{"198.51.100.7"}, nil); got != "10.0.0.1" {
		t.Errorf("no trusted proxies: %q; want the peer", got)
	}
	for _, bad := range []string{"10.0.0.300", "proxy.local", "10.0.0.0/33"} {
		if _, err := ParseProxies(bad); err == nil {
			t.Errorf("ParseProxies(%q) succeeded", bad)
		}
	}
}
