<?php
// The real-Moodle check of convzoo's exports (tests/test_moodle.py): php moodle_harness.php MOODLE_DIR CASE_DIR imports
// CASE_DIR's quiz.moodle.xml and quiz.gift.txt with Moodle's own importers (as Question bank > Import does, into a new
// course's question bank), grades every case of cases.json with Moodle's question engine (deferred feedback), as a
// quiz attempt would, and prints the fractions, each question's mark and each cloze blank's width as JSON.
define('CLI_SCRIPT', true);
require($argv[1] . '/config.php');
require_once($CFG->libdir . '/questionlib.php');
require_once($CFG->dirroot . '/question/format.php');
require_once($CFG->dirroot . '/question/format/xml/format.php');
require_once($CFG->dirroot . '/question/format/gift/format.php');
require_once($CFG->dirroot . '/course/lib.php');
require_once($CFG->dirroot . '/question/engine/lib.php');

$dir = $argv[2];
\core\session\manager::set_user(get_admin());
$course = create_course((object)['fullname' => 'lms check', 'shortname' => 'lmscheck' . time(), 'category' => 1]);
$cm = \core_question\local\bank\question_bank_helper::get_default_open_instance_system_type($course, true);
$context = context_module::instance($cm->id);
$top = question_get_top_category($context->id, true);

function category(string $name) {
    global $DB, $context, $top;
    $id = $DB->insert_record('question_categories', (object)['name' => $name, 'contextid' => $context->id, 'info' => '',
        'infoformat' => FORMAT_HTML, 'stamp' => make_unique_id_code(), 'parent' => $top->id, 'sortorder' => 999]);
    $category = $DB->get_record('question_categories', ['id' => $id]);
    $category->context = $context;
    return $category;
}

function import_file(string $class, string $file, $category): void {
    global $context, $course;
    $contexts = new core_question\local\bank\question_edit_contexts($context);
    $format = new $class();
    $format->setCategory($category);
    $format->setContexts($contexts->having_one_edit_tab_cap('import'));
    $format->setCourse($course);
    $format->setFilename($file);
    $format->setRealfilename(basename($file));
    $format->setMatchgrades('error');
    $format->setCatfromfile(false);
    $format->setContextfromfile(false);
    $format->setStoponerror(true);
    ob_start();
    $ok = $format->importpreprocess() && $format->importprocess() && $format->importpostprocess();
    $log = ob_get_clean();
    if (!$ok) {
        fwrite(STDERR, $log);
        exit(1);
    }
}

function questions($category): array {
    global $DB;
    return $DB->get_records_sql("SELECT q.name, q.id, q.qtype, q.defaultmark FROM {question} q
        JOIN {question_versions} qv ON qv.questionid = q.id
        JOIN {question_bank_entries} qbe ON qbe.id = qv.questionbankentryid
        WHERE qbe.questioncategoryid = ? AND q.parent = 0", [$category->id]);
}

$found = [];
$t0 = microtime(true);
foreach (['xml' => ['qformat_xml', 'quiz.moodle.xml'], 'gift' => ['qformat_gift', 'quiz.gift.txt']] as $fmt => [$class, $file]) {
    $category = category("convzoo $fmt");
    import_file($class, "$dir/$file", $category);
    $found[$fmt] = questions($category);
}
$imported = microtime(true) - $t0;

$cases = json_decode(file_get_contents("$dir/cases.json"), true);
$results = [];
foreach ($cases['cases'] as $case) {
    $row = $found[$case['fmt']][$case['name']] ?? null;
    if (!$row) {
        $results[] = ['missing' => true];
        continue;
    }
    $question = question_bank::load_question($row->id);
    $quba = question_engine::make_questions_usage_by_activity('core_question_preview', context_system::instance());
    $quba->set_preferred_behaviour('deferredfeedback');
    $slot = $quba->add_question($question, 1);
    $quba->start_all_questions();
    $response = $row->qtype === 'multianswer' ? $quba->get_correct_response($slot) : [];
    foreach ($case['fields'] as $field => $value) {
        $response[$field] = $value;
    }
    $quba->process_action($slot, $response);
    $quba->finish_all_questions();
    $results[] = ['fraction' => $quba->get_question_fraction($slot), 'state' => (string)$quba->get_question_state($slot)];
}

$questions = [];
foreach ($found as $fmt => $rows) {
    foreach ($rows as $name => $row) {
        $entry = ['qtype' => $row->qtype, 'defaultmark' => (float)$row->defaultmark];
        if ($row->qtype === 'multianswer') {
            $question = question_bank::load_question($row->id);
            $widths = [];
            foreach ($question->subquestions as $key => $subq) {
                if (in_array($subq->qtype->name(), ['shortanswer', 'numerical'])) {
                    // the size renderer.php:298-303 starts from (before its random 0-15%)
                    $size = 0;
                    foreach ($subq->answers as $answer) {
                        $size = max($size, core_text::strlen(trim($answer->answer)));
                    }
                    $widths[] = $size;
                }
            }
            $entry['widths'] = $widths;
        }
        $questions[$fmt][$name] = $entry;
    }
}
echo json_encode(['results' => $results, 'questions' => $questions, 'import_seconds' => $imported,
    'moodle' => $CFG->release]);
