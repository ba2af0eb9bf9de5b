package ui_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// chromiumPath is where Debian's package installs the browser.
const chromiumPath = "/usr/bin/chromium"

// browser starts one headless Chromium for a test. Without Chromium the test
// is skipped, unless GUICHET_REQUIRE_BROWSER=1 (CI), where it fails.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath
	if _, err := os.Stat(path); err != nil {
		if p, err := exec.LookPath("chromium"); err == nil {
			path = p
		} else if os.Getenv("GUICHET_REQUIRE_BROWSER") == "1" {
			t.Fatalf("Chromium required (GUICHET_REQUIRE_BROWSER=1) but not found at %s", chromiumPath)
		} else {
			t.Skipf("Chromium not installed at %s (set GUICHET_REQUIRE_BROWSER=1 to fail instead)", chromiumPath)
		}
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		// Tests serve "remote" images from httptest TLS servers (self-signed).
		chromedp.Flag("ignore-certificate-errors", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 768),
		chromedp.Flag("lang", "fr-FR"), // date inputs as a French agent sees them
		chromedp.Env("LANG=fr_FR.UTF-8", "LANGUAGE=fr"),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	if err := chromedp.Do(bctx); err != nil { // starts the browser
		cancelBrowser()
		cancelAlloc()
		t.Fatalf("start Chromium: %v", err)
	}
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	return bctx
}

// tab is one agent's browser: its own browser context (cookies apart), a
// 1366×768 viewport, and a watch for JavaScript dialogs (none may open).
type tab struct {
	t       *testing.T
	ctx     context.Context
	e       *env
	mu      sync.Mutex
	dialogs []string
	errors  []string
}

func (e *env) tab(t *testing.T, b context.Context) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	tb := &tab{t: t, ctx: ctx, e: e}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768)); err != nil {
		t.Fatal(err)
	}
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			tb.mu.Lock()
			tb.dialogs = append(tb.dialogs, ev.Message)
			tb.mu.Unlock()
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	return tb
}

// run runs steps with a time limit, failing the test with what was tried.
func (tb *tab) run(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.shot("failure-" + strings.ReplaceAll(what, " ", "-"))
		tb.t.Fatalf("%s: %v", what, err)
	}
}

func (tb *tab) text(sel string) string {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		tb.shot("failure-text")
		tb.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func (tb *tab) eval(js string) string {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		tb.t.Fatalf("eval %s: %v", js, err)
	}
	return s
}

// waitJS waits until the expression is true.
func (tb *tab) waitJS(what, js string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		tb.shot("failure-" + strings.ReplaceAll(what, " ", "-"))
		tb.t.Fatalf("waiting for %s (%s): %v", what, js, err)
	}
}

func (tb *tab) bool(js string) bool {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
	if err != nil {
		tb.t.Fatalf("eval %s: %v", js, err)
	}
	return v
}

// newTab opens another tab in the same browser context (same agent, same cookies).
func (tb *tab) newTab(t *testing.T) *tab {
	ctx, cancel := chromedp.NewContext(tb.ctx)
	t.Cleanup(cancel)
	n := &tab{t: t, ctx: ctx, e: tb.e}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768)); err != nil {
		t.Fatal(err)
	}
	return n
}

// loaded runs trigger (a click, a key) and waits for the page it loads.
func loaded(trigger chromedp.Action[chromedp.Void]) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.WaitEvent(page.LoadEventFired, nil, trigger)(ctx, t)
		return err
	})
}

// shotAction takes a screenshot in the middle of steps.
func shotAction(tb *tab, name string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		buf, err := chromedp.CaptureScreenshot()(ctx, t)
		if err == nil {
			tb.save(name, buf)
		}
		return nil
	})
}

func (tb *tab) url() string { return tb.eval(`location.pathname + location.search`) }

// key presses keys as a keyboard does: one keyDown carrying the text (so that
// a handler's preventDefault stops the character, as in a real browser) and a
// keyUp. chromedp.KeyEvent sends a separate char event that a cancelled
// keydown cannot stop, which no keyboard does.
func key(keys string, mods ...chromedp.Modifier) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		var m int64
		for _, x := range mods {
			m |= int64(x)
		}
		for _, r := range keys {
			k, ok := kb.Keys[r]
			if !ok {
				return fmt.Errorf("no key for %q", r)
			}
			down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: k.Key, Code: k.Code,
				WindowsVirtualKeyCode: k.Windows, NativeVirtualKeyCode: k.Native, Modifiers: m}
			if k.Shift {
				down.Modifiers |= int64(chromedp.ModifierShift)
			}
			if k.Print && m&^int64(chromedp.ModifierShift) == 0 {
				down.Text, down.UnmodifiedText = k.Text, k.Unmodified
			}
			up := down
			up.Type, up.Text, up.UnmodifiedText = input.DispatchKeyEventTypeKeyUp, "", ""
			for _, ev := range []input.DispatchKeyEventParams{down, up} {
				if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, ev); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func (tb *tab) signIn(email string) {
	tb.t.Helper()
	tb.run("sign in as "+email,
		chromedp.Navigate(tb.e.srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), password+"\n"),
		chromedp.WaitVisible(chromedp.CSS("#tickets, .inbox .empty")),
	)
}

// shot saves a screenshot of the viewport to GUICHET_SCREENSHOTS (or a
// temporary folder).
func (tb *tab) shot(name string) string {
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Logf("screenshot %s: %v", name, err)
		return ""
	}
	return tb.save(name, buf)
}

func (tb *tab) save(name string, buf []byte) string {
	dir := os.Getenv("GUICHET_SCREENSHOTS")
	if dir == "" {
		dir = tb.t.TempDir()
	}
	os.MkdirAll(dir, 0o755)
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		tb.t.Logf("screenshot %s: %v", name, err)
	}
	tb.t.Logf("screenshot: %s", path)
	return path
}

func (tb *tab) noDialogs() {
	tb.t.Helper()
	tb.mu.Lock()
	defer tb.mu.Unlock()
	if len(tb.dialogs) > 0 {
		tb.t.Errorf("JavaScript dialogs opened: %q", tb.dialogs)
	}
}
