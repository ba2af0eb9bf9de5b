// Command guichet runs the customer-service desk: `guichet serve` starts it.
// This file only parses flags and wires packages together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	_ "time/tzdata" // deadlines are computed in Europe/Paris, wherever we run
)

const usage = `guichet — le service client des ADV, sur une seule page.

Usage :
  guichet serve [--demo]   démarre le serveur (SQLite dans ./data par défaut)
  guichet demo             démarre le serveur avec les données de démonstration
  guichet migrate          applique les migrations de la base et s'arrête
  guichet user add         crée un agent (--email, --name, --role adv|admin, --password)
  guichet user list        liste les agents
  guichet token add        crée un jeton d'API : pour un agent (--email, --name) ou
                           pour une intégration qui agit comme le système (--integration, --name)
  guichet token list       liste les jetons (--email : ceux d'un agent)
  guichet token revoke     révoque un jeton (--id)
  guichet channel list     liste les canaux et dit si leur connexion est réglée
  guichet channel add      crée un canal (--kind, --name, --responsible, --setting clé=valeur…)
  guichet channel set ID   change un canal et ses réglages de connexion (--setting clé=valeur…)
  guichet sync --once      récupère les messages des canaux et envoie les réponses en attente,
                           une fois (--channel ID : un seul canal)
  guichet bench            mesure les performances sur une base générée
  guichet bench --load URL fait travailler des agents sur un guichet en marche (HTTP)
  guichet version

Options communes (et variables d'environnement) :
  --data DIR       GUICHET_DATA      dossier de la base SQLite et des pièces jointes (./data)
  --database URL   GUICHET_DATABASE  postgres://… pour PostgreSQL ; SQLite si vide
                   GUICHET_SECRET_KEY clé des réglages des canaux (32 octets en base64 ou hex) ;
                                     sinon le fichier secret.key du dossier --data (mode 0600)
Options de serve :
  --addr HOST:PORT GUICHET_ADDR      adresse d'écoute (127.0.0.1:8080)
  --demo                             charge les données de démonstration si la base est vide
  --secure-cookies GUICHET_SECURE_COOKIES=1  cookies « Secure » (derrière HTTPS)
  --trusted-proxies LISTE GUICHET_TRUSTED_PROXIES  proxys inverses (IP, CIDR) dont
                           X-Forwarded-For donne l'adresse du client ; aucun par défaut
  --metrics-token T GUICHET_METRICS_TOKEN   /metrics exige « Authorization: Bearer T » (ouvert si vide)
`

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "guichet :", err)
		}
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return flag.ErrHelp
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return serve(ctx, rest, false, stdout, stderr)
	case "demo":
		return serve(ctx, rest, true, stdout, stderr)
	case "migrate":
		return migrate(ctx, rest, stdout, stderr)
	case "user":
		return userCommand(ctx, rest, stdout, stderr)
	case "token":
		return tokenCommand(ctx, rest, stdout, stderr)
	case "channel":
		return channelCommand(ctx, rest, stdout, stderr)
	case "bench":
		return benchCommand(ctx, rest, stdout, stderr)
	case "sync":
		return syncCommand(ctx, rest, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "guichet", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("commande inconnue : %q", cmd)
}
