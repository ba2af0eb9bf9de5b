package mail

import (
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
)

// Kind is the email channel: a mailbox read over IMAP, replies sent over SMTP.
func Kind() channel.Kind {
	return channel.Kind{
		Kind:     desk.ChannelEmail,
		Name:     "Email",
		Settings: settings(false),
		Every:    time.Minute,
		New:      newConnector,
	}
}

// AmazonKind is Amazon's buyer-seller messaging: an email channel whose
// buyers write from Amazon's relay addresses, with Amazon's rules on replies.
func AmazonKind() channel.Kind {
	return channel.Kind{
		Kind:     desk.ChannelAmazon,
		Name:     "Amazon",
		Settings: settings(true),
		Every:    time.Minute,
		New:      newConnector,
	}
}

func newConnector(c channel.Config) (channel.Connector, error) {
	m, err := New(c)
	if err != nil {
		return nil, err // not a nil *Connector in a non-nil interface
	}
	return m, nil
}

var securityOptions = []channel.Option{
	{Value: "tls", Label: "SSL/TLS"},
	{Value: "starttls", Label: "STARTTLS"},
	{Value: "none", Label: "Aucune (réseau de confiance seulement)"},
}

func settings(amazon bool) []channel.Setting {
	pattern, unknown := "", "true"
	if amazon {
		pattern, unknown = AmazonOrderPattern, "false"
	}
	return []channel.Setting{
		{Key: "host", Label: "Serveur IMAP", Kind: channel.SettingText, Required: true, Help: "imap.example.com"},
		{Key: "port", Label: "Port IMAP", Kind: channel.SettingNumber, Default: "993", Help: "993 en SSL/TLS, 143 en STARTTLS."},
		{Key: "username", Label: "Utilisateur IMAP", Kind: channel.SettingText, Required: true},
		{Key: "password", Label: "Mot de passe IMAP", Kind: channel.SettingText, Required: true, Secret: true},
		{Key: "security", Label: "Sécurité IMAP", Kind: channel.SettingSelect, Options: securityOptions, Default: "tls"},
		{Key: "skip_verify", Label: "Ne pas vérifier le certificat IMAP", Kind: channel.SettingBool, Default: "false",
			Help: "Pour un serveur au certificat auto-signé ; la connexion reste chiffrée mais n'est plus authentifiée."},
		{Key: "folder", Label: "Dossier", Kind: channel.SettingText, Default: "INBOX"},
		{Key: "delete_after_sync", Label: "Supprimer les messages après synchronisation", Kind: channel.SettingBool, Default: "false",
			Help: "Un message n'est supprimé de la boîte qu'après avoir été enregistré dans guichet."},
		{Key: "unknown_senders", Label: "Créer des tickets pour les expéditeurs inconnus", Kind: channel.SettingBool, Default: unknown,
			Help: "Sinon, un message qui ne se rattache à aucun ticket est mis de côté (messages en attente) sans ouvrir de ticket."},
		{Key: "order_pattern", Label: "Motif d'un numéro de commande", Kind: channel.SettingText, Default: pattern,
			Help: `Expression régulière cherchée dans l'objet puis le corps : \d{3}-\d{7}-\d{7} pour Amazon.`},
		{Key: "from", Label: "Adresse d'envoi", Kind: channel.SettingText, Required: true,
			Help: "L'adresse qui écrit aux clients (chez Amazon : l'adresse d'expéditeur déclarée dans Seller Central)."},
		{Key: "from_name", Label: "Nom d'envoi", Kind: channel.SettingText, Help: "« Service client Boutique »."},
		{Key: "smtp_host", Label: "Serveur SMTP", Kind: channel.SettingText, Required: true},
		{Key: "smtp_port", Label: "Port SMTP", Kind: channel.SettingNumber, Default: "465", Help: "465 en SSL/TLS, 587 en STARTTLS."},
		{Key: "smtp_username", Label: "Utilisateur SMTP", Kind: channel.SettingText, Help: "Vide : pas d'authentification."},
		{Key: "smtp_password", Label: "Mot de passe SMTP", Kind: channel.SettingText, Secret: true},
		{Key: "smtp_security", Label: "Sécurité SMTP", Kind: channel.SettingSelect, Options: securityOptions, Default: "tls"},
		{Key: "smtp_skip_verify", Label: "Ne pas vérifier le certificat SMTP", Kind: channel.SettingBool, Default: "false"},
		{Key: "timeout", Label: "Délai d'attente (secondes)", Kind: channel.SettingNumber, Default: "30",
			Help: "Au-delà, une connexion ou une commande sans réponse est abandonnée : une boîte en panne n'en bloque aucune autre."},
	}
}

// AmazonOrderPattern is an Amazon order number: 402-1234567-1234567.
const AmazonOrderPattern = `\d{3}-\d{7}-\d{7}`
