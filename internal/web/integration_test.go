package web_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

// An integration's token opens tickets as the system: the channel's
// responsible ADV gets them, and the history names the integration.
func TestIntegrationTokenOpensTicketsForTheResponsibleADV(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		token, err := e.d.CreateIntegrationToken(ctx, e.admin, "bouton PrestaShop")
		if err != nil {
			t.Fatal(err)
		}
		bearer := "Bearer " + token
		var me map[string]any
		if code := e.call("GET", "/api/v1/me", nil, &me, "Authorization", bearer); code != 200 || me["kind"] != "integration" || me["email"] != nil {
			t.Fatalf("me: %d %v", code, me)
		}
		if in, _ := me["integration"].(map[string]any); in["name"] != "bouton PrestaShop" {
			t.Errorf("me: %v", me)
		}
		var agentMe map[string]any
		if e.call("GET", "/api/v1/me", nil, &agentMe); agentMe["kind"] != "agent" || agentMe["email"] != "lea@example.fr" {
			t.Errorf("an agent's me: %v", agentMe)
		}
		// Many orders opened by the button: every one goes to Kaufland's responsible ADV.
		for i := range 20 {
			var out struct {
				Ticket  desk.Ticket `json:"ticket"`
				Created bool        `json:"created"`
			}
			in := map[string]any{"channel_id": e.kauf.ID, "order_ref": fmt.Sprintf("KA-BTN-%d", i), "customer": map[string]any{"name": "Jean Dupont"}}
			if code := e.call("POST", "/api/v1/tickets", in, &out, "Authorization", bearer); code != 201 || !out.Created {
				t.Fatalf("open %d: %d %+v", i, code, out)
			}
			if out.Ticket.AssigneeID != e.adv.AgentID {
				t.Fatalf("ticket %d assigned to %d; want the responsible ADV %d", i, out.Ticket.AssigneeID, e.adv.AgentID)
			}
			if i == 0 {
				var v desk.TicketView
				e.call("GET", fmt.Sprintf("/api/v1/tickets/%d", out.Ticket.ID), nil, &v, "Authorization", bearer)
				if len(v.Events) == 0 || v.Events[0].ActorName != "intégration bouton PrestaShop" || v.Events[0].AgentID != 0 {
					t.Errorf("history: %+v", v.Events)
				}
			}
		}
		var ae apiError
		if code := e.call("GET", "/api/v1/counts?assignee=me", nil, &ae, "Authorization", bearer); code != 400 || ae.Error.Field != "assignee" {
			t.Errorf("assignee=me from an integration: %d %+v", code, ae)
		}
		// Revoked: refused at the next call.
		ts, _ := e.d.APITokens(ctx, e.admin, desk.TokenFilter{Integrations: true})
		if _, err := e.d.RevokeAPIToken(ctx, e.admin, ts[0].ID); err != nil {
			t.Fatal(err)
		}
		if code := e.call("GET", "/api/v1/me", nil, nil, "Authorization", bearer); code != 401 {
			t.Errorf("revoked integration token: %d; want 401", code)
		}
	})
}

// Each route the spec marks x-agents-only answers an integration 403
// « réservé aux agents »; the others let it through.
func TestIntegrationTokenOnAgentRoutes(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	token, err := e.d.CreateIntegrationToken(ctx, e.admin, "bouton PrestaShop")
	if err != nil {
		t.Fatal(err)
	}
	tk, _, err := e.d.OpenTicket(ctx, desk.System, desk.OpenInput{ChannelID: e.shop.ID, OrderRef: "SHOP-1"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile("api/openapi.json")
	var spec struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	agentsOnly := func(rt apiRoute) bool {
		var op struct {
			AgentsOnly bool `json:"x-agents-only"`
		}
		json.Unmarshal(spec.Paths[rt.path][strings.ToLower(rt.method)], &op)
		return op.AgentsOnly
	}
	forAgents := 0
	for _, rt := range apiRoutes(t) {
		path := strings.ReplaceAll(rt.path, "{id}", fmt.Sprint(tk.ID))
		body := map[string]any{"body": "Bonjour", "status": "waiting_customer", "channel_id": e.shop.ID, "order_ref": "SHOP-1"}
		var raw json.RawMessage
		code := e.call(rt.method, path, body, &raw, "Authorization", "Bearer "+token)
		var ae apiError
		json.Unmarshal(raw, &ae)
		if agentsOnly(rt) {
			forAgents++
			if code != 403 || ae.Error.Code != "forbidden" || !strings.Contains(ae.Error.Message, "réservé aux agents") {
				t.Errorf("%s %s by an integration: %d %+v; want 403 réservé aux agents", rt.method, rt.path, code, ae)
			}
		} else if code == 403 || code == 401 {
			t.Errorf("%s %s by an integration: %d %+v; want it allowed", rt.method, rt.path, code, ae)
		}
	}
	if forAgents < 6 {
		t.Errorf("only %d routes marked for agents", forAgents)
	}
	// Nothing an agent-only route refused was written.
	if v, _ := e.d.Ticket(ctx, e.admin, tk.ID); len(v.Messages) != 0 || v.Ticket.Status != desk.StatusWaitingAdmin {
		t.Errorf("refused calls changed the ticket: %d messages, %s", len(v.Messages), v.Ticket.Status)
	}
}
