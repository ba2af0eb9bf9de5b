package ui

// performanceMessages are the labels of « Performance du service » and of
// Administration › Règles du service.
var performanceMessages = map[string]text{
	"nav.performance":         {"Performance", "Performance"},
	"perf.title":              {"Performance du service", "Service performance"},
	"perf.period":             {"Période", "Period"},
	"perf.from":               {"Du", "From"},
	"perf.to":                 {"au", "to"},
	"perf.show":               {"Afficher", "Show"},
	"perf.this_month":         {"Ce mois-ci", "This month"},
	"perf.last_month":         {"Mois dernier", "Last month"},
	"perf.last_30":            {"30 derniers jours", "Last 30 days"},
	"perf.last_7":             {"7 derniers jours", "Last 7 days"},
	"perf.csv":                {"Exporter en CSV", "Export as CSV"},
	"perf.intro":              {"Tickets ouverts par un client pendant la période ; la file ouverte est celle d'aujourd'hui.", "Tickets a customer opened in the period; the open backlog is today's."},
	"perf.overall":            {"Ensemble", "Overall"},
	"perf.by_channel":         {"Par canal", "By channel"},
	"perf.by_agent":           {"Par agent", "By agent"},
	"perf.name":               {"Nom", "Name"},
	"perf.opened":             {"Tickets ouverts", "Tickets opened"},
	"perf.answered":           {"Répondus", "Answered"},
	"perf.median":             {"1re réponse (médiane)", "First response (median)"},
	"perf.p90":                {"1re réponse (p90)", "First response (p90)"},
	"perf.share":              {"Répondus dans les délais", "Answered in time"},
	"perf.in_time":            {"Dans les délais", "In time"},
	"perf.late":               {"En retard", "Late"},
	"perf.in":                 {"Messages reçus", "Messages in"},
	"perf.out":                {"Messages envoyés", "Messages out"},
	"perf.closed":             {"Tickets fermés", "Tickets closed"},
	"perf.backlog":            {"À traiter", "Backlog"},
	"perf.age0":               {"< 1 j", "< 1 d"},
	"perf.age1":               {"1–2 j", "1–2 d"},
	"perf.age2":               {"2–7 j", "2–7 d"},
	"perf.age3":               {"7–30 j", "7–30 d"},
	"perf.age4":               {"> 30 j", "> 30 d"},
	"perf.minutes":            {"%d min", "%d min"},
	"perf.hours":              {"%d h %02d", "%d h %02d"},
	"perf.days":               {"%d j %d h", "%d d %d h"},
	"perf.chart_daily":        {"Messages et fermetures par jour", "Messages and closings per day"},
	"perf.chart_daily_desc":   {"Sur la période : %d messages reçus, %d envoyés, %d tickets fermés.", "Over the period: %d messages in, %d out, %d tickets closed."},
	"perf.chart_frt":          {"Temps de première réponse par canal", "First-response time by channel"},
	"perf.chart_frt_desc":     {"Ensemble : médiane %s, p90 %s ; compté comme le canal compte son délai.", "Overall: median %s, p90 %s; counted as the channel counts its deadline."},
	"perf.chart_intime":       {"Part des tickets répondus dans les délais, par canal", "Share of tickets answered in time, by channel"},
	"perf.chart_intime_desc":  {"Ensemble : %s.", "Overall: %s."},
	"perf.chart_backlog":      {"Tickets à traiter par ancienneté", "Backlog by age"},
	"perf.chart_backlog_desc": {"%d tickets attendent un ADV aujourd'hui.", "%d tickets wait for an ADV today."},
	"perf.definitions":        {"Première réponse : du message du client qui a ouvert le ticket à la première réponse d'un agent (ni message système, ni note, ni message du back-office) ; mesurée une fois par ticket, une réouverture ne la change pas ; comptée comme le canal compte son délai (24 h sur 24, jours ouvrés, heures d'ouverture) ; médiane et p90 au rang le plus proche. Dans les délais : répondu avant la deadline alors en vigueur ; en retard : répondu après, ou sans réponse et deadline passée. Messages reçus : des clients et opérateurs (sans réponses automatiques) ; envoyés : des agents. Fermés : chaque fermeture.", "First response: from the customer's message that opened the ticket to an agent's first answer (no system message, note or back-office message); measured once per ticket, a reopening does not change it; counted as the channel counts its deadline (around the clock, working days, opening hours); median and p90 by nearest rank. In time: answered before the deadline then in force; late: answered after it, or unanswered past it. Messages in: from customers and operators (no auto-replies); out: agents'. Closed: each closing."},
	"perf.csv_scope":          {"Portée", "Scope"},
	"perf.csv_name":           {"Nom", "Name"},
	"perf.csv_channel":        {"Canal", "Channel"},
	"perf.csv_agent":          {"Agent", "Agent"},
	"perf.csv_median":         {"1re réponse médiane (h)", "First response median (h)"},
	"perf.csv_p90":            {"1re réponse p90 (h)", "First response p90 (h)"},
	"perf.csv_share":          {"Dans les délais (%)", "In time (%)"},

	"admin.rules":          {"Règles du service", "Service rules"},
	"rules.priority":       {"Priorités", "Priorities"},
	"rules.priority_intro": {"Un nouveau ticket est P1. Les règles font passer un ticket en P2 (suivi) et l'y ramènent.", "A new ticket is P1. The rules move a ticket to P2 (follow-up) and back."},
	"rules.reply_to_p2":    {"Après la réponse d'un agent, un ticket P1 passe en P2 (suivi)", "After an agent's answer, a P1 ticket goes to P2 (follow-up)"},
	"rules.customer_to_p1": {"Un message du client sur un ticket P2 le ramène en P1", "A customer's message on a P2 ticket brings it back to P1"},
	"rules.history":        {"L'historique du ticket nomme la « Règle de priorité » pour chaque changement qu'elle fait.", "The ticket's history names the « Règle de priorité » for each change it makes."},
	"rules.warnings":       {"Avertissements avant la deadline", "Warnings before the deadline"},
	"rules.lead":           {"Prévenir le responsable (minutes avant la deadline)", "Warn the responsible ADV (minutes before the deadline)"},
	"rules.lead_hint":      {"L'ADV responsable du ticket (ou du canal) reçoit une notification, par email aussi s'il l'a demandé ; une fois par ticket et par deadline ; jamais pour un ticket en attente du client. 0 : aucun avertissement. Par défaut : 120.", "The ticket's (or channel's) responsible ADV gets a notification, by email too if they asked; once per ticket and deadline; never for a ticket waiting for the customer. 0: no warnings. Default: 120."},
	"rules.lead_invalid":   {"nombre de minutes attendu", "a number of minutes is expected"},
}

func init() {
	for k, v := range performanceMessages {
		if _, dup := messages[k]; dup {
			panic("label defined twice: " + k)
		}
		messages[k] = v
	}
}
