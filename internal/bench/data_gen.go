package bench

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"guichet/internal/deadline"
	"guichet/internal/desk"
	"guichet/internal/fold"
	"guichet/internal/store"
)

type bulkTeam struct {
	agents   []desk.Agent // the first is an admin
	channels []bulkChannelOf
}

type bulkChannelOf struct {
	desk.Channel
	def    bulkChannel
	policy deadline.Policy
}

type bulkChannel struct {
	kind     desk.ChannelKind
	name     string
	weight   int // share of the tickets, in percent
	policy   string
	orderURL string
	guard    []string
	relay    string // the domain of the marketplace's relay addresses; "" for real ones
}

var bulkChannels = []bulkChannel{
	{desk.ChannelAmazon, "Amazon", 25, "24h", "https://sellercentral.amazon.fr/orders-v3/order/{order}", []string{"Amazon"}, "marketplace.amazon.fr"},
	{desk.ChannelCdiscount, "Cdiscount", 18, "48h business", "", []string{"Cdiscount", "C Discount"}, "clients.cdiscount.com"},
	{desk.ChannelPrestaShop, "Boutique", 15, "48h business", "https://boutique.example/admin/index.php?controller=AdminOrders&id_order={order}", nil, ""},
	{desk.ChannelMirakl, "Fnac", 12, "24h", "", []string{"Fnac", "Fnac Darty"}, "mp.fnac.com"},
	{desk.ChannelManoMano, "ManoMano", 10, "48h business", "", []string{"ManoMano", "Mano Mano"}, "relay.manomano.fr"},
	{desk.ChannelKaufland, "Kaufland", 8, "48h business", "", []string{"Kaufland", "real.de"}, "kaufland-marktplatz.de"},
	{desk.ChannelMirakl, "Darty", 7, "48h business", "", []string{"Darty"}, "mp.darty.com"},
	{desk.ChannelEmail, "Email", 5, "48h business", "", nil, ""},
}

var bulkAgentNames = []string{"Nadia Benali", "Léa Martin", "Marc Durand", "Sophie Lefèvre", "Julien Moreau",
	"Camille Roux", "Thomas Girard", "Inès Haddad", "Hugo Fontaine", "Chloé Mercier"}

// bulkGen makes the rows of tickets. Each ticket's content depends only on
// the spec and its index, so that a set loaded in several runs is the same.
type bulkGen struct {
	spec     DataSpec
	team     bulkTeam
	text     *corpus
	calendar *deadline.Calendar
	next     store.BulkIDs
}

func (g *bulkGen) chunk(first, last int) *store.BulkRows {
	n := last - first
	m := g.spec.Messages
	c := store.NewBulkRows(last, n, n*m, n*2*m)
	for i := first; i < last; i++ {
		g.ticket(c, i)
	}
	return c
}

func (g *bulkGen) pickChannel(r *rand.Rand) bulkChannelOf {
	n := r.IntN(100)
	for _, c := range g.team.channels {
		if n < c.def.weight {
			return c
		}
		n -= c.def.weight
	}
	return g.team.channels[0]
}

// ticket generates ticket i: its customer, threads, messages (customer and
// agent in turn; sometimes an operator or an internal note), the events desk
// would have recorded, and the search entries.
func (g *bulkGen) ticket(c *store.BulkRows, i int) {
	r := rand.New(rand.NewPCG(g.spec.Seed, uint64(i)))
	tx := g.text
	ch := g.pickChannel(r)
	id := g.next.Ticket
	g.next.Ticket++

	step := g.spec.Span / time.Duration(g.spec.Tickets)
	opened := g.spec.Until.Add(-g.spec.Span + time.Duration(i)*step + time.Duration(r.Int64N(int64(step)+1))).Truncate(time.Millisecond)

	// The customer.
	first, last := tx.firstName(r), tx.lastName(r)
	name := first + " " + last
	cust := g.next.Customer
	g.next.Customer++
	email := personalEmail(r, first, last)
	if ch.def.relay != "" {
		email = randomLetters(r, 14) + "@" + ch.def.relay
	}
	phone := ""
	if r.IntN(2) == 0 {
		phone = fmt.Sprintf("0%d %02d %02d %02d %02d", 6+r.IntN(2), r.IntN(100), r.IntN(100), r.IntN(100), r.IntN(100))
	}
	c.AddCustomer(&desk.Customer{ID: cust, ChannelID: ch.ID, ExternalID: "c" + strconv.Itoa(i), Name: name, Email: email, Phone: phone, CreatedAt: opened})

	// The ticket's own fields.
	ref := orderRef(ch.def.kind, r, i, opened)
	if ch.def.kind == desk.ChannelEmail && r.IntN(50) == 0 {
		ref = "" // a question without an order
	}
	status := desk.StatusClosed
	switch u := r.IntN(100); {
	case u < 15:
		status = desk.StatusWaitingAdmin
	case u < 25:
		status = desk.StatusWaitingCustomer
	}
	priority := desk.P2
	if r.IntN(100) < 35 {
		priority = desk.P1
	}
	responsible := ch.ResponsibleID
	assignee := responsible
	switch u := r.IntN(100); {
	case u < 20:
		assignee = g.team.agents[1+r.IntN(len(g.team.agents)-1)].ID
	case u < 28:
		assignee = 0
	}
	var problem, realEmail, delivery, reason string
	if r.IntN(100) < 40 {
		problem = bulkProblems[r.IntN(len(bulkProblems))]
	}
	if ch.def.relay != "" && r.IntN(100) < 30 {
		realEmail = personalEmail(r, first, last)
	}
	if r.IntN(100) < 30 {
		delivery = opened.AddDate(0, 0, 2+r.IntN(5)).Format(time.DateOnly)
	}
	if ch.def.relay != "" && r.IntN(100) < 70 {
		reason = bulkReasons[r.IntN(len(bulkReasons))]
	}
	subject := reason
	if ref != "" {
		subject = "Commande " + ref
	}

	// Threads: the customer's conversation, and sometimes the operator's.
	threadRow := func(kind desk.ThreadKind, ext string) int64 {
		th := g.next.Thread
		g.next.Thread++
		c.AddThread(&desk.Thread{ID: th, TicketID: id, Kind: kind, ExternalID: ext, Subject: subject, CreatedAt: opened})
		return th
	}
	customerThread := threadRow(desk.ThreadCustomer, "conv-"+strconv.Itoa(i))
	var operatorThread int64
	operatorAt := 0 // the seq of the operator's message, if any
	if ch.def.relay != "" && r.IntN(100) < 8 {
		operatorAt = 3
	}
	noteAt := 0
	if r.IntN(100) < 4 {
		noteAt = 4
	}

	event := func(at time.Time, agent int64, actor string, kind desk.EventKind, old, new string, msg int64) {
		c.AddEvent(&desk.Event{ID: g.next.Event, TicketID: id, At: at, AgentID: agent, ActorName: actor, Kind: kind, Old: old, New: new, MessageID: msg})
		g.next.Event++
	}
	event(opened, 0, ch.Name, desk.EventCreated, "", ch.Name, 0)
	if assignee != responsible {
		admin := g.team.agents[0]
		event(opened.Add(20*time.Minute), admin.ID, admin.Name, desk.EventAssignee, idText(responsible), idText(assignee), 0)
	}

	// The ticket's own search entry, as IndexTicket writes it, before those
	// of its messages.
	c.AddDoc(id, 0, strings.Join([]string{desk.TicketNumber(id), ref, name, email, realEmail, problem, subject}, " "))

	// Messages: customer and agent in turn; a ticket waiting for us ends with
	// the customer's follow-up.
	m := g.spec.Messages
	at := opened
	cur := desk.StatusWaitingAdmin
	var lastIn, activity, closedAt time.Time
	var closedBy int64
	var preview string
	fact := desk.TicketFact{TicketID: id, ChannelID: ch.ID, OpenedAt: opened} // a customer's message opens every ticket
	firstDue := g.calendar.Due(opened, ch.policy).Truncate(time.Millisecond)
	for seq := 1; seq <= m; seq++ {
		in := seq%2 == 1 || (seq == m && status == desk.StatusWaitingAdmin)
		if seq > 1 {
			switch {
			case in && seq == m && m%2 == 0:
				at = at.Add(randDuration(r, time.Hour, 48*time.Hour)) // the customer again
			case in:
				at = at.Add(randDuration(r, 30*time.Minute, 96*time.Hour))
			default:
				at = at.Add(randDuration(r, 5*time.Minute, 26*time.Hour))
			}
		}
		mid := g.next.Message
		g.next.Message++
		var body string
		switch {
		case in && seq == operatorAt:
			if operatorThread == 0 {
				operatorThread = threadRow(desk.ThreadOperator, "op-"+strconv.Itoa(i))
			}
			author := "Service client " + ch.Name
			body = tx.operatorBody(r, ref)
			c.AddMessage(&desk.Message{ID: mid, TicketID: id, ThreadID: operatorThread, Seq: seq, Direction: "in", AuthorKind: "operator",
				AuthorName: author, Body: body, SourceID: "m" + strconv.Itoa(i) + "-" + strconv.Itoa(seq), CreatedAt: at}, ch.ID)
			event(at, 0, author, desk.EventMessageIn, "", string(desk.ThreadOperator), mid)
			if cur != desk.StatusWaitingAdmin {
				event(at, 0, author, desk.EventStatus, string(cur), string(desk.StatusWaitingAdmin), 0)
				cur = desk.StatusWaitingAdmin
			}
			lastIn = at
		case in:
			body = tx.customerBody(r, ref, name)
			c.AddMessage(&desk.Message{ID: mid, TicketID: id, ThreadID: customerThread, Seq: seq, Direction: "in", AuthorKind: "customer",
				AuthorName: name, Body: body, SourceID: "m" + strconv.Itoa(i) + "-" + strconv.Itoa(seq), CreatedAt: at}, ch.ID)
			event(at, 0, name, desk.EventMessageIn, "", string(desk.ThreadCustomer), mid)
			if cur != desk.StatusWaitingAdmin {
				event(at, 0, name, desk.EventStatus, string(cur), string(desk.StatusWaitingAdmin), 0)
				cur = desk.StatusWaitingAdmin
			}
			lastIn = at
		default:
			agent := g.agentOf(r, assignee)
			if seq == noteAt {
				body = tx.noteBody(r)
				c.AddMessage(&desk.Message{ID: mid, TicketID: id, Seq: seq, Direction: "out", AuthorKind: "agent",
					AuthorAgentID: agent.ID, AuthorName: agent.Name, Body: body, Internal: true, CreatedAt: at}, ch.ID)
				event(at, agent.ID, agent.Name, desk.EventNote, "", "", mid)
				c.AddDoc(id, seq, body)
				activity = at
				continue // a note changes neither the status nor the preview
			}
			next := desk.StatusWaitingCustomer
			if seq == m {
				next = status
			}
			template := ""
			if r.IntN(4) == 0 {
				template = bulkTemplates[r.IntN(len(bulkTemplates))]
			}
			body = tx.agentBody(r, name, agent.Name, ch.Name)
			if fact.FirstResponseAt.IsZero() { // as desk records the first answer
				fact.FirstResponseAt, fact.ResponderID, fact.InTime = at, agent.ID, !at.After(firstDue)
				fact.Response = g.calendar.Counted(opened, at, ch.policy.Mode).Truncate(time.Millisecond)
			}
			c.AddMessage(&desk.Message{ID: mid, TicketID: id, ThreadID: customerThread, Seq: seq, Direction: "out", AuthorKind: "agent",
				AuthorAgentID: agent.ID, AuthorName: agent.Name, Body: body, TemplateName: template, Delivery: "sent", CreatedAt: at}, ch.ID)
			event(at, agent.ID, agent.Name, desk.EventMessageOut, "", string(desk.ThreadCustomer), mid)
			if next != cur {
				event(at, agent.ID, agent.Name, desk.EventStatus, string(cur), string(next), 0)
				if next == desk.StatusClosed {
					closedAt, closedBy = at, agent.ID
				}
				cur = next
			}
		}
		c.AddDoc(id, seq, body)
		activity = at
		preview = clipPreview(body)
	}
	due := g.calendar.Due(lastIn, ch.policy).Truncate(time.Millisecond)
	if cur != desk.StatusWaitingAdmin { // a deadline runs only while an ADV must act
		due = time.Time{}
	}
	c.AddTicket(&desk.Ticket{ID: id, ChannelID: ch.ID, OrderRef: ref, CustomerID: cust, Status: cur, Priority: priority, AssigneeID: assignee,
		Deadline: due, OpenedAt: opened, LastActivityAt: activity, ClosedAt: closedAt, ClosedBy: closedBy, Problem: problem, RealEmail: realEmail,
		DeliveryDate: delivery, Reason: reason, Subject: subject, MessageCount: m, Preview: preview})
	c.AddFact(&fact)
}

// agentOf is who answers: the assignee, or anyone when there is none.
func (g *bulkGen) agentOf(r *rand.Rand, assignee int64) desk.Agent {
	for _, a := range g.team.agents {
		if a.ID == assignee {
			return a
		}
	}
	return g.team.agents[1+r.IntN(len(g.team.agents)-1)]
}

func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return desk.TicketNumber(id)
}

// clipPreview is desk's preview of a message: its start, spaces collapsed.
func clipPreview(body string) string {
	s := strings.Join(strings.Fields(body), " ")
	if r := []rune(s); len(r) > 160 {
		return string(r[:160])
	}
	return s
}

func randDuration(r *rand.Rand, lo, hi time.Duration) time.Duration {
	return (lo + time.Duration(r.Int64N(int64(hi-lo)))).Truncate(time.Millisecond)
}

// orderRef is ticket i's order reference in the channel's own format; i makes
// it unique.
func orderRef(kind desk.ChannelKind, r *rand.Rand, i int, opened time.Time) string {
	switch kind {
	case desk.ChannelAmazon:
		return fmt.Sprintf("40%d-%07d-%07d", 2+r.IntN(6), r.IntN(10_000_000), i)
	case desk.ChannelCdiscount:
		return opened.Format("060102") + fmt.Sprintf("%08d", i)
	case desk.ChannelPrestaShop, desk.ChannelEmail:
		// PrestaShop's nine capital letters: i scrambled, one to one.
		n := (int64(i)*2_654_435_761 + 12_345) % 5_429_503_678_976 // 26^9
		b := make([]byte, 9)
		for k := 8; k >= 0; k-- {
			b[k] = byte('A' + n%26)
			n /= 26
		}
		return string(b)
	case desk.ChannelKaufland:
		return strconv.Itoa(400_000_000 + i)
	case desk.ChannelManoMano:
		return fmt.Sprintf("M%09d", 200_000_000+i)
	}
	return fmt.Sprintf("%d-A", 30_000_000+i) // Mirakl
}

func personalEmail(r *rand.Rand, first, last string) string {
	domains := [...]string{"gmail.com", "orange.fr", "free.fr", "hotmail.fr", "laposte.net", "wanadoo.fr", "sfr.fr", "yahoo.fr", "outlook.fr"}
	local := strings.Join(fold.Words(first), "-") + "." + strings.Join(fold.Words(last), "")
	if r.IntN(2) == 0 {
		local += strconv.Itoa(r.IntN(100))
	}
	return local + "@" + domains[r.IntN(len(domains))]
}

// randomLetters is a relay address's local part. It starts with a letter:
// PostgreSQL's parser reads "3e4x" as a number and a word.
func randomLetters(r *rand.Rand, n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	b[0] = alphabet[r.IntN(26)]
	for i := 1; i < n; i++ {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

var bulkProblems = []string{"Colis non reçu", "Article cassé à la livraison", "Demande de facture", "Erreur de taille",
	"Remboursement en attente", "Pièce manquante", "Retour refusé par le transporteur", "Produit non conforme",
	"Annulation de commande", "Changement d'adresse", "Retard de livraison", "Double prélèvement"}

var bulkReasons = []string{"Article non reçu", "Retour", "Produit défectueux", "Question avant achat", "Facture",
	"Annulation", "Remboursement", "Livraison", "Article non conforme", "Autre"}

var bulkTemplates = []string{"Suivi de colis", "Demande de photos", "Étiquette de retour", "Remboursement effectué",
	"Facture jointe", "Délai de livraison"}
