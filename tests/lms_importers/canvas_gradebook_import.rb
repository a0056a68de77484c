# Reads a gradebook CSV the way Canvas's GradebookImporter (lib/gradebook_importer.rb) does, and prints what it would
# import as JSON ({"assignments": [{"title", "id", "points_possible"}], "students": [{"user", "grade"}]} or
# {"error": ...}). Its steps, from Canvas's source: the delimiter from the first three lines (identify_delimiter);
# CSV.foreach with converters nil and decimal_comma_to_period and skip_lines /^[;, ]+$/; the header must have
# 'Student' in the first cell and 'ID' in the second (row_has_student_headers?), 'SIS Login ID' third, or
# 'SIS User ID' then 'SIS Login ID' (update_column_count), and 'Section' as the last student column; the rest,
# less the non-assignment columns (Current Score, ... Override Status), are assignments, 'Title (id)' naming one by
# id (Assignment.title_and_id); a row whose first cell includes 'Points Possible' sets their points; a student is
# found by ID (the Canvas user id), else SIS User ID, else SIS Login ID, else by name (process_student); the grade
# is the cell, stripped.
# Usage: ruby canvas_gradebook_import.rb FILE.csv USERS.json  (USERS.json: [{"id", "name", "sis_user_id", "login_id"}])
require "csv"
require "json"

file, users_file = ARGV
users = JSON.parse(File.read(users_file))
def fail(message) = (puts({ error: message }.to_json); exit 0)

CSV::Converters[:nil] = ->(e) { e }
CSV::Converters[:decimal_comma_to_period] = lambda do |field|
  if /^-?[0-9.,]+%?$/.match?(field)
    parts = field.split(/[,.]/)
    last = parts.pop
    parts.empty? ? last : [parts.join, last].join(".")
  else
    field
  end
end

first_lines = File.readlines(file).first(3)
counts = { ";" => 0, "," => 0 }
%w[; ,].each do |separator|
  sizes = first_lines.map { |line| CSV.parse_line(line, col_sep: separator)&.size || 0 }
  counts[separator] = sizes.first if sizes.uniq.size == 1
rescue CSV::MalformedCSVError
  nil
end
col_sep = counts[";"] > counts[","] ? ";" : ","

non_assignment = Regexp.new(["Current Score", "Current Points", "Current Grade", "Final Score", "Final Points",
                             "Final Grade", "Override Score", "Override Grade", "Override Status"].join("|"))
assignments = sis_column = login_column = nil
students = []
CSV.foreach(file, converters: %i[nil decimal_comma_to_period], skip_lines: /^[;, ]+$/, col_sep: col_sep) do |row|
  if assignments.nil?
    fail("Invalid header row") unless row.length > 3 && row[0].include?("Student") && row[1].include?("ID")
    columns = 3
    if /SIS\s+Login\s+ID/.match?(row[2])
      login_column = 2
      columns += 1
    elsif row[2] =~ /SIS\s+User\s+ID/ && row[3] =~ /SIS\s+Login\s+ID/
      sis_column, login_column = 2, 3
      columns += 2
    end
    fail("Invalid header row") unless row[columns - 1].include?("Section")
    assignments = row.drop(columns).grep_v(non_assignment).map do |header|
      title, id = header =~ /\A(.*)\s\((\d+)\)\z/ ? [$1, $2] : [header, nil]
      { "title" => title, "id" => id, "index" => row.index(header), "points_possible" => nil }
    end
    next
  end
  if row[0]&.include?("Points Possible")
    assignments.each { |a| a["points_possible"] = row[a["index"]] if row[a["index"]] }
    next
  end
  next if row.compact.all? { |column| column =~ /^\s*(Muted|Manual Posting.*)?\s*$/i }

  user = users.find { |u| row[1].to_s != "" && u["id"] == row[1].to_i }
  user ||= users.find { |u| sis_column && row[sis_column].to_s != "" && u["sis_user_id"] == row[sis_column] }
  user ||= users.find { |u| login_column && row[login_column].to_s != "" && u["login_id"] == row[login_column] }
  user ||= users.find { |u| u["name"] == row[0] }
  students << { "user" => user && user["id"], "name" => row[0],
                "grades" => assignments.map { |a| row[a["index"]]&.strip } }
end
puts({ assignments: assignments.map { |a| a.except("index") }, students: students }.to_json)
