<?php
/**
 * guichet — a button on the back office's order page that opens the
 * order's ticket in guichet (created there if it has none).
 *
 * Compatible with PrestaShop 1.7.7 and 8.x: the button is added through the
 * hook actionGetAdminOrderButtons of the (Symfony) order page. It leads to
 * this module's configuration URL with the order's id, which signs a fresh
 * link at the moment of the click and redirects to guichet: an order page
 * left open for an hour still gives a valid link.
 */
if (!defined('_PS_VERSION_')) {
    exit;
}

require_once __DIR__ . '/classes/GuichetLink.php';

class Guichet extends Module
{
    const CONF_URL = 'GUICHET_URL';
    const CONF_CHANNEL = 'GUICHET_CHANNEL';
    const CONF_SECRET = 'GUICHET_SECRET';
    const MIN_SECRET = 32;

    public function __construct()
    {
        $this->name = 'guichet';
        $this->tab = 'administration';
        $this->version = '1.0.0';
        $this->author = 'guichet';
        $this->need_instance = 0;
        $this->bootstrap = true;
        $this->ps_versions_compliancy = array('min' => '1.7.7.0', 'max' => _PS_VERSION_);

        parent::__construct();

        $this->displayName = $this->l('guichet : ticket de la commande');
        $this->description = $this->l('Ajoute sur la page d\'une commande le bouton qui ouvre son ticket dans guichet (créé s\'il n\'existe pas).');
        $this->confirmUninstall = $this->l('Le bouton guichet disparaîtra des commandes. Continuer ?');
    }

    public function install()
    {
        return parent::install() && $this->registerHook('actionGetAdminOrderButtons');
    }

    public function uninstall()
    {
        Configuration::deleteByName(self::CONF_URL);
        Configuration::deleteByName(self::CONF_CHANNEL);
        Configuration::deleteByName(self::CONF_SECRET);

        return parent::uninstall();
    }

    /**
     * The violet button of the order page.
     */
    public function hookActionGetAdminOrderButtons(array $params)
    {
        if (!$this->configured() || empty($params['id_order']) || empty($params['actions_bar_buttons_collection'])) {
            return;
        }
        $href = $this->context->link->getAdminLink('AdminModules', true, array(), array(
            'configure' => $this->name,
            'guichet_order' => (int) $params['id_order'],
        ));
        /** @var \PrestaShopBundle\Controller\Admin\Sell\Order\ActionsBarButtonsCollection $bar */
        $bar = $params['actions_bar_buttons_collection'];
        $bar->add(new \PrestaShopBundle\Controller\Admin\Sell\Order\ActionsBarButton(
            'btn-secondary guichet-button',
            array(
                'href' => $href,
                'target' => '_blank',
                'rel' => 'noopener',
                'style' => 'background-color:#6f42c1;border-color:#6f42c1;color:#fff',
                'title' => $this->l('Ouvrir le ticket de cette commande dans guichet'),
            ),
            $this->l('Ticket guichet')
        ));
    }

    /**
     * The configuration page; with guichet_order, the button's click.
     */
    public function getContent()
    {
        $idOrder = (int) Tools::getValue('guichet_order');
        if ($idOrder > 0) {
            return $this->openTicket($idOrder);
        }

        $output = '';
        if (Tools::isSubmit('submitGuichet')) {
            $output .= $this->saveSettings();
        }

        return $output . $this->renderForm();
    }

    private function configured()
    {
        return Configuration::get(self::CONF_URL) && (int) Configuration::get(self::CONF_CHANNEL) > 0
            && Tools::strlen((string) Configuration::get(self::CONF_SECRET)) >= self::MIN_SECRET;
    }

    /**
     * Signs a link for the order now and sends the employee to guichet.
     */
    private function openTicket($idOrder)
    {
        if (!$this->configured()) {
            return $this->displayError($this->l('Le module guichet n\'est pas configuré : adresse de guichet, canal et secret.')) . $this->renderForm();
        }
        $order = new Order($idOrder);
        if (!Validate::isLoadedObject($order)) {
            return $this->displayError($this->l('Commande introuvable.'));
        }
        $link = GuichetLink::build(
            Configuration::get(self::CONF_URL),
            (int) Configuration::get(self::CONF_CHANNEL),
            $order->reference,
            time(),
            Configuration::get(self::CONF_SECRET)
        );
        header('Cache-Control: no-store');
        header('Location: ' . $link, true, 303);
        exit;
    }

    private function saveSettings()
    {
        $url = rtrim(trim((string) Tools::getValue(self::CONF_URL)), '/');
        $channel = (int) Tools::getValue(self::CONF_CHANNEL);
        $secret = trim((string) Tools::getValue(self::CONF_SECRET));
        $errors = array();
        if (!Validate::isAbsoluteUrl($url) || !preg_match('#^https?://#i', $url)) {
            $errors[] = $this->l('Adresse de guichet invalide : par exemple https://guichet.example.com');
        }
        if ($channel <= 0) {
            $errors[] = $this->l('Le numéro du canal est celui de la boutique dans guichet (Administration › Canaux).');
        }
        if ($secret === '' && Tools::strlen((string) Configuration::get(self::CONF_SECRET)) >= self::MIN_SECRET) {
            $secret = (string) Configuration::get(self::CONF_SECRET); // empty: keep the stored one
        }
        if (Tools::strlen($secret) < self::MIN_SECRET) {
            $errors[] = sprintf($this->l('Le secret fait au moins %d caractères, le même que dans guichet.'), self::MIN_SECRET);
        }
        if ($errors) {
            return $this->displayError(implode('<br>', array_map('htmlspecialchars', $errors)));
        }
        Configuration::updateValue(self::CONF_URL, $url);
        Configuration::updateValue(self::CONF_CHANNEL, $channel);
        Configuration::updateValue(self::CONF_SECRET, $secret);

        return $this->displayConfirmation($this->l('Réglages enregistrés.'));
    }

    private function renderForm()
    {
        $form = array('form' => array(
            'legend' => array('title' => $this->l('Connexion à guichet'), 'icon' => 'icon-cogs'),
            'input' => array(
                array('type' => 'text', 'name' => self::CONF_URL, 'label' => $this->l('Adresse de guichet'), 'required' => true,
                    'desc' => $this->l('https://guichet.example.com')),
                array('type' => 'text', 'name' => self::CONF_CHANNEL, 'label' => $this->l('Canal de la boutique dans guichet'), 'required' => true,
                    'class' => 'fixed-width-sm', 'desc' => $this->l('Son numéro, dans guichet : Administration › Canaux.')),
                array('type' => 'password', 'name' => self::CONF_SECRET, 'label' => $this->l('Secret partagé'), 'required' => true,
                    'desc' => $this->l('Le même que « Secret du bouton guichet » du canal dans guichet (32 caractères au moins). Laisser vide pour conserver.')),
            ),
            'submit' => array('title' => $this->l('Enregistrer')),
        ));

        $helper = new HelperForm();
        $helper->module = $this;
        $helper->name_controller = $this->name;
        $helper->identifier = $this->identifier;
        $helper->token = Tools::getAdminTokenLite('AdminModules');
        $helper->currentIndex = AdminController::$currentIndex . '&configure=' . $this->name;
        $helper->default_form_language = (int) Configuration::get('PS_LANG_DEFAULT');
        $helper->submit_action = 'submitGuichet';
        $helper->fields_value = array(
            self::CONF_URL => Tools::getValue(self::CONF_URL, Configuration::get(self::CONF_URL)),
            self::CONF_CHANNEL => Tools::getValue(self::CONF_CHANNEL, Configuration::get(self::CONF_CHANNEL)),
            self::CONF_SECRET => '',
        );

        return $helper->generateForm(array($form));
    }
}
