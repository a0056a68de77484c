<?php
// Reads a grade import CSV the way Moodle 5.1's CSV grade importer does, and prints what it would import as JSON
// ({"grades": {user id: grade or null}} or {"error": the string id Moodle shows}). Its steps, from Moodle's source:
// - lib/csvlib.class.php, csv_import_reader::load_csv_content: strip the UTF-8 byte-order mark, \r\n and \r to \n,
//   trim the content, rows by fgetcsv($fp, 0, ',', '"', '\\'), a row of one null field skipped, 'csvemptyfile'
//   without a header, 'csvweirdcolumns' where a row's field count differs from the header's;
// - grade/import/csv/classes/load_data.php: headers trimmed; each line of more than one field is a student; each
//   value trimmed; the user found by the mapped field (check_user_exists: email and username without case, the
//   others exactly; none or several: 'usermappingerror...'); a grade '' or '-' is no grade (null), else
//   unformat_float($value, true): spaces removed, then numeric or 'badgrade'.
// Usage: php moodle_grade_import.php FILE.csv MAPFROM_HEADER MAPTO GRADE_HEADER USERS.json
//   MAPTO: useridnumber | useremail | username; USERS.json: [{"id", "idnumber", "email", "username"}, ...]
[$_, $file, $mapfrom, $mapto, $gradeheader, $usersfile] = $argv;
function fail($error) { echo json_encode(["error" => $error]), "\n"; exit(0); }
$content = file_get_contents($file);
$content = preg_replace('/^\xEF\xBB\xBF/', '', $content);
$content = preg_replace('!\r\n?!', "\n", $content);
$content = trim($content);
$fp = fopen('php://memory', 'w+b');
fwrite($fp, $content);
fseek($fp, 0);
$columns = [];
while ($fgetdata = fgetcsv($fp, 0, ',', '"', '\\')) {
    if (count($fgetdata) == 1) {
        if ($fgetdata[0] !== null) {
            $columns[] = $fgetdata;
        }
    } else {
        $columns[] = $fgetdata;
    }
}
if (!isset($columns[0])) fail('csvemptyfile');
foreach ($columns as $row) {
    if (count($row) !== count($columns[0])) fail('csvweirdcolumns');
}
$header = array_map('trim', $columns[0]);
$from = array_search($mapfrom, $header, true);
$to = array_search($gradeheader, $header, true);
if ($from === false || $to === false) fail('nosuchcolumn');
$field = ['useridnumber' => 'idnumber', 'useremail' => 'email', 'username' => 'username'][$mapto];
$users = json_decode(file_get_contents($usersfile), true);
$grades = [];
foreach (array_slice($columns, 1) as $line) {
    if (count($line) <= 1) continue;
    $value = trim($line[$from]);
    $found = array_values(array_filter($users, function ($u) use ($field, $value) {
        return in_array($field, ['email', 'username']) ? strtolower($u[$field]) === strtolower($value) : $u[$field] === $value;
    }));
    if (count($found) === 0) fail('usermappingerror');
    if (count($found) > 1) fail('usermappingerrormultipleusersfound');
    $grade = trim($line[$to]);
    if ($grade === '' || $grade == '-') {
        $grades[$found[0]['id']] = null;
        continue;
    }
    $grade = str_replace(' ', '', $grade);
    if (!is_numeric($grade)) fail('badgrade');
    $grades[$found[0]['id']] = (float)$grade;
}
echo json_encode(["grades" => $grades]), "\n";
