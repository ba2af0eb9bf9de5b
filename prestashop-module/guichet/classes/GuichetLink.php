<?php
/**
 * guichet — the signed link of the order page's button.
 *
 * The link opens guichet's ticket of an order: HMAC-SHA256 over the shop
 * (guichet's channel id), the order's reference and a Unix time, with the
 * secret shared with guichet (internal/shoplink in guichet computes the
 * same signature). guichet refuses a link older than a few minutes.
 */
if (!defined('_PS_VERSION_')) {
    exit;
}

class GuichetLink
{
    /**
     * What is signed: one field a line.
     */
    public static function payload($shop, $order, $timestamp)
    {
        return "guichet-order-v1\n" . (string) $shop . "\n" . (string) $order . "\n" . (string) (int) $timestamp;
    }

    /**
     * The signature, lowercase hexadecimal.
     */
    public static function sign($secret, $shop, $order, $timestamp)
    {
        return hash_hmac('sha256', self::payload($shop, $order, $timestamp), (string) $secret);
    }

    /**
     * The link to guichet's ticket of an order.
     */
    public static function build($baseUrl, $shop, $order, $timestamp, $secret)
    {
        $query = http_build_query(array(
            'shop' => (string) $shop,
            'order' => (string) $order,
            'ts' => (string) (int) $timestamp,
            'sig' => self::sign($secret, $shop, $order, $timestamp),
        ), '', '&', PHP_QUERY_RFC3986);

        return rtrim((string) $baseUrl, '/') . '/shop/order?' . $query;
    }
}
