<?php
// What a shared-hosting user would write instead of status.fcgi: open the SQLite file, read
// one row, answer the same JSON with the same caching header. Kept idiomatic and fair.
$db = new SQLite3(getenv('HEARTBEAT_DB'), SQLITE3_OPEN_READONLY);
$db->busyTimeout(5000);
$row = $db->querySingle(
    "SELECT max(CASE WHEN state = 'active' THEN at_ms END) AS active,"
    . " max(CASE WHEN state = 'idle' THEN at_ms END) AS idle FROM devices", true);
$now = (int) (microtime(true) * 1000);
$window = 180000;
$state = 'offline';
$maxAge = 30;
if ($row['active'] !== null && $now - $row['active'] < $window) {
    $state = 'online';
    $maxAge = min(60, intdiv($row['active'] + $window - $now, 1000));
} elseif ($row['idle'] !== null && $now - $row['idle'] < $window) {
    $state = 'away';
}
header('Content-Type: application/json; charset=utf-8');
header('Cache-Control: public, max-age=' . $maxAge);
header('X-Content-Type-Options: nosniff');
header('Access-Control-Allow-Origin: *');
echo json_encode(['isOnline' => $state === 'online', 'state' => $state]);
