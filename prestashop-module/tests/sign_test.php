<?php
/**
 * Prints the signature and the link of each case read as JSON on stdin
 * ([{secret, shop, order, ts, base}]), one per line: guichet's Go test
 * (internal/shoplink) checks them against its own.
 */
define('_PS_VERSION_', 'test');
require __DIR__ . '/../guichet/classes/GuichetLink.php';

$cases = json_decode(stream_get_contents(STDIN), true);
if (!is_array($cases)) {
    fwrite(STDERR, "expected a JSON array of cases on stdin\n");
    exit(2);
}
foreach ($cases as $c) {
    echo GuichetLink::sign($c['secret'], $c['shop'], $c['order'], $c['ts']), "\n";
    echo GuichetLink::build($c['base'], $c['shop'], $c['order'], $c['ts'], $c['secret']), "\n";
}
