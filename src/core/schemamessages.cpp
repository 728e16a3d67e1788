#include "schemamessages.h"

#include "jsonpointer.h"

#include <algorithm>
#include <tuple>

namespace portolan {

namespace {

QString text(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

bool isAlternative(const SchemaFailure &f)
{
    return (f.keyword == "oneOf" || f.keyword == "anyOf") && f.passingBranches == 0 && !f.branches.empty();
}

bool contains(const std::vector<std::string> &list, const char *value)
{
    return std::find(list.begin(), list.end(), value) != list.end();
}

void collect(const SchemaFailures &in, std::vector<Cause> &out);
std::vector<std::string> requiredOfBranches(const TreeValue &branches);

std::vector<Cause> leaves(const SchemaFailures &branch)
{
    std::vector<Cause> out;
    collect(branch, out);
    return out;
}

// How badly a branch misses the value, worst first: the value is not even of
// the branch's kind (wrong JSON type, no `$ref` for a Reference Object); it has
// another `in` or `type`; it lacks a property the branch requires; then how
// many failures, and how shallow they are (deeper means the branch got further).
using Score = std::tuple<int, int, int, int, int>;

Score score(const std::vector<Cause> &causes, std::size_t depth)
{
    int kindMismatch = 0, discriminator = 0, signatureMissing = 0, deepest = 0;
    for (const Cause &c : causes) {
        const SchemaFailure &f = *c.failure;
        const bool here = f.instancePath.size() == depth;
        if (here && f.keyword == "type")
            ++kindMismatch;
        else if (here && f.keyword == "required" && contains(f.properties, "$ref"))
            ++kindMismatch;
        else if (!here && f.instancePath.size() == depth + 1 && (f.keyword == "enum" || f.keyword == "const")
                 && (f.instancePath.back() == "in" || f.instancePath.back() == "type"))
            ++discriminator;
        else if (here && f.keyword == "required")
            ++signatureMissing;
        deepest = std::max(deepest, int(f.instancePath.size()));
    }
    return {kindMismatch, discriminator, signatureMissing, int(causes.size()), -deepest};
}

QStringList allowedValues(const SchemaFailure &f)
{
    if (!f.keywordValue.isValid())
        return {};
    if (f.keyword == "const")
        return {valueText(*f.keywordValue.tree, f.keywordValue.id)};
    QStringList values;
    const NodeTree &tree = *f.keywordValue.tree;
    if (f.keywordValue.kind() == NodeKind::Array) {
        for (const Member *m = tree.membersBegin(f.keywordValue.id); m != tree.membersEnd(f.keywordValue.id); ++m)
            values.push_back(valueText(tree, m->value));
    }
    return values;
}

// Each branch rejects the same value by enum or const (`in: query` | `in: header`
// | …): one "must be one of" with every value some branch accepts.
bool mergeEnums(const SchemaFailure &alternative, std::vector<Cause> &out)
{
    const SchemaFailure *first = nullptr;
    QStringList allowed;
    for (const SchemaFailures &branch : alternative.branches) {
        const SchemaFailure *found = nullptr;
        QStringList values;
        for (const Cause &c : leaves(branch)) {
            const SchemaFailure &f = *c.failure;
            if ((f.keyword == "enum" || f.keyword == "const") && f.instancePath.size() > alternative.instancePath.size()
                && (!first || f.instancePath == first->instancePath)) {
                found = &f;
                values = c.allowed.isEmpty() ? allowedValues(f) : c.allowed;  // an inner merge already knows them all
                break;
            }
        }
        if (!found)
            return false;
        if (!first)
            first = found;
        for (const QString &v : values) {
            if (!allowed.contains(v))
                allowed.push_back(v);
        }
    }
    out.push_back({first, allowed});
    return true;
}

// Every branch only misses a property the value lacks, the one property it
// requires (anyOf required paths | components | webhooks): the alternative
// itself is the cause, and its message names them. Branches that require
// more, or whose `required` lies behind a $ref, are told apart by the
// closest one's failure instead.
bool isRequiredChoice(const SchemaFailure &alternative)
{
    if (requiredOfBranches(alternative.keywordValue).empty())
        return false;
    for (const SchemaFailures &branch : alternative.branches) {
        if (branch.size() != 1 || branch.front().keyword != "required"
            || branch.front().instancePath.size() != alternative.instancePath.size())
            return false;
    }
    return true;
}

void collect(const SchemaFailures &in, std::vector<Cause> &out)
{
    for (const SchemaFailure &f : in) {
        if (!isAlternative(f)) {
            out.push_back({&f, {}});
            continue;
        }
        if (isRequiredChoice(f)) {
            out.push_back({&f, {}});
            continue;
        }
        if (mergeEnums(f, out))
            continue;
        std::size_t best = 0;
        Score bestScore;
        for (std::size_t i = 0; i < f.branches.size(); ++i) {
            const Score s = score(leaves(f.branches[i]), f.instancePath.size());
            if (i == 0 || s < bestScore) {
                best = i;
                bestScore = s;
            }
        }
        collect(f.branches[best], out);
    }
}

QString typeName(std::string_view type)
{
    if (type == "object" || type == "array" || type == "integer")
        return QStringLiteral("an ") + text(type);
    if (type == "null")
        return QStringLiteral("null");
    return QStringLiteral("a ") + text(type);
}

QString number(const TreeValue &v) { return text(v.text()); }

// The members `required` names that the instance lacks (when the validator did not list them).
std::vector<std::string> missingProperties(const SchemaFailure &f, const NodeTree &instance)
{
    if (!f.properties.empty())
        return f.properties;
    std::vector<std::string> missing;
    for (const std::string &name : stringsOf(f.keywordValue)) {
        if (!instance.isObject(f.instance) || instance.member(f.instance, name) == kNoNode)
            missing.push_back(name);
    }
    return missing;
}

QString quotedList(const std::vector<std::string> &names, const char *quote, const QString &conjunction)
{
    // A message stays one line: an example of a large schema can lack dozens
    // of required properties, and the first few say what is wrong.
    constexpr std::size_t kListed = 8;
    QStringList quoted;
    for (std::size_t i = 0; i < names.size() && i < kListed; ++i)
        quoted.push_back(QLatin1String(quote) + text(names[i]) + QLatin1String(quote));
    if (names.size() > kListed)
        return quoted.join(QLatin1String(", ")) + QStringLiteral(" %1 %2 more").arg(conjunction).arg(names.size() - kListed);
    if (quoted.size() < 2)
        return quoted.value(0);
    const QString last = quoted.takeLast();
    return quoted.join(QLatin1String(", ")) + QLatin1Char(' ') + conjunction + QLatin1Char(' ') + last;
}

// `required` of each branch of a oneOf/anyOf, when that is what tells them apart.
std::vector<std::string> requiredOfBranches(const TreeValue &branches)
{
    std::vector<std::string> names;
    if (branches.kind() != NodeKind::Array)
        return names;
    const NodeTree &tree = *branches.tree;
    for (const Member *m = tree.membersBegin(branches.id); m != tree.membersEnd(branches.id); ++m) {
        const std::vector<std::string> required = stringsOf(TreeValue{&tree, m->value}.member("required"));
        if (required.size() != 1)
            return {};
        names.push_back(required.front());
    }
    return names;
}

QString notMessage(const SchemaFailure &f, const QString &subject)
{
    const std::vector<std::string> required = stringsOf(f.keywordValue.member("required"));
    if (required.size() == 2)
        return QStringLiteral("%1 may have `%2` or `%3`, not both").arg(subject, text(required[0]), text(required[1]));
    if (required.size() == 1)
        return QStringLiteral("%1 must not have `%2`").arg(subject, text(required[0]));
    if (f.keywordValue.member("enum").isValid())
        return QStringLiteral("%1 must not be one of: %2").arg(subject, listText(f.keywordValue.member("enum")));
    return QStringLiteral("%1 matches a schema it must not match").arg(subject);
}

QString boundMessage(const SchemaFailure &f, const NodeTree &instance, const QString &subject)
{
    const QString found = valueText(instance, f.instance);
    const QString limit = number(f.keywordValue);
    // Draft 4: `exclusiveMinimum: true` beside `minimum` makes the bound strict.
    const bool exclusive4 = f.schema.member(f.keyword == "minimum" ? "exclusiveMinimum" : "exclusiveMaximum").text() == "true";
    if (f.keyword == "minimum")
        return QStringLiteral("%1 must be %2 %3 (found %4)").arg(subject, exclusive4 ? QStringLiteral(">") : QStringLiteral("≥"), limit, found);
    if (f.keyword == "maximum")
        return QStringLiteral("%1 must be %2 %3 (found %4)").arg(subject, exclusive4 ? QStringLiteral("<") : QStringLiteral("≤"), limit, found);
    if (f.keyword == "exclusiveMinimum")
        return QStringLiteral("%1 must be > %2 (found %3)").arg(subject, limit, found);
    return QStringLiteral("%1 must be < %2 (found %3)").arg(subject, limit, found);
}

// A key the tree holds a copy of (decoded while parsing, or copied with
// every text: see JsonParser) has no view into the source: its text is
// looked for in the kilobyte before its value, not further (the search once
// went back to the source's start when the key was not there).
qint64 keyBefore(const NodeTree &tree, std::string_view key, std::uint32_t valueOffset)
{
    const std::uint32_t from = valueOffset > 1024 ? valueOffset - 1024 : 0;
    std::string buffer;
    const std::string_view before = tree.sourceBytes(from, valueOffset, buffer);
    const qsizetype at = QByteArrayView(before.data(), qsizetype(before.size())).lastIndexOf(QByteArrayView(key.data(), qsizetype(key.size())));
    return at >= 0 ? from + at : qint64(valueOffset);
}

} // namespace

std::vector<Cause> causes(const SchemaFailures &failures)
{
    std::vector<Cause> out;
    collect(failures, out);
    // "schema XOR content" is often written twice: a oneOf that both branches
    // match and a `not` forbidding both. One cause: the `not` says it better.
    auto forbidsToo = [&](const Cause &c) {
        return c.failure->keyword == "oneOf" && c.failure->passingBranches > 1
               && std::any_of(out.begin(), out.end(), [&](const Cause &o) {
                      return o.failure->keyword == "not" && o.failure->instance == c.failure->instance;
                  });
    };
    out.erase(std::remove_if(out.begin(), out.end(), forbidsToo), out.end());
    return out;
}

QString jsonKindName(NodeKind kind)
{
    switch (kind) {
    case NodeKind::Null: return QStringLiteral("null");
    case NodeKind::Bool: return QStringLiteral("a boolean");
    case NodeKind::Number: return QStringLiteral("a number");
    case NodeKind::String: return QStringLiteral("a string");
    case NodeKind::Array: return QStringLiteral("an array");
    case NodeKind::Object: return QStringLiteral("an object");
    }
    return {};
}

QString valueText(const NodeTree &tree, NodeId id)
{
    switch (tree.kind(id)) {
    case NodeKind::String: {
        QString s = text(tree.text(id));
        if (s.size() > 60)
            s = s.left(57) + QStringLiteral("…");
        return QLatin1Char('\'') + s + QLatin1Char('\'');
    }
    case NodeKind::Number:
    case NodeKind::Bool:
    case NodeKind::Null:
        return text(tree.text(id));
    default:
        return jsonKindName(tree.kind(id));
    }
}

std::vector<std::string> stringsOf(const TreeValue &array)
{
    std::vector<std::string> out;
    if (array.kind() != NodeKind::Array)
        return out;
    const NodeTree &tree = *array.tree;
    for (const Member *m = tree.membersBegin(array.id); m != tree.membersEnd(array.id); ++m)
        out.emplace_back(tree.text(m->value));
    return out;
}

QString listText(const TreeValue &array, const QString &conjunction)
{
    QStringList values;
    if (array.kind() == NodeKind::Array) {
        const NodeTree &tree = *array.tree;
        for (const Member *m = tree.membersBegin(array.id); m != tree.membersEnd(array.id); ++m)
            values.push_back(valueText(tree, m->value));
    }
    if (values.size() < 2)
        return values.value(0);
    const QString last = values.takeLast();
    return values.join(QLatin1String(", ")) + QLatin1Char(' ') + conjunction + QLatin1Char(' ') + last;
}

QString failureMessage(const Cause &cause, const NodeTree &instance, const QString &subject)
{
    const SchemaFailure &f = *cause.failure;
    const std::string &k = f.keyword;
    const QString found = valueText(instance, f.instance);
    if (!cause.allowed.isEmpty())
        return QStringLiteral("%1 must be one of: %2 (found %3)").arg(subject, cause.allowed.join(QLatin1String(", ")), found);
    if (k == "required") {
        const std::vector<std::string> missing = missingProperties(f, instance);
        return QStringLiteral("%1 is missing the required %2").arg(subject, quotedList(missing, "'", QStringLiteral("and")));
    }
    if (k == "additionalProperties" || k == "unevaluatedProperties")
        return QStringLiteral("%1 may not have %2").arg(subject, quotedList(f.properties, "'", QStringLiteral("and")));
    if (k == "false")
        return QStringLiteral("%1 is not allowed here").arg(subject);
    if (k == "type") {
        const TreeValue type = f.keywordValue;
        if (!type.isValid())
            return QStringLiteral("%1: %2").arg(subject, f.message);
        QString expected;
        if (type.kind() == NodeKind::Array) {
            QStringList names;
            for (const std::string &t : stringsOf(type))
                names.push_back(typeName(t));
            expected = names.join(QLatin1String(" or "));
        } else {
            expected = typeName(type.text());
        }
        QString kind = jsonKindName(instance.kind(f.instance));
        if (instance.kind(f.instance) == NodeKind::Number && type.text() == "integer")
            kind = QStringLiteral("%1").arg(found);
        return QStringLiteral("%1 must be %2 (found %3)").arg(subject, expected, kind);
    }
    if (k == "enum")
        return QStringLiteral("%1 must be one of: %2 (found %3)").arg(subject, listText(f.keywordValue), found);
    if (k == "const")
        return QStringLiteral("%1 must be %2 (found %3)").arg(subject, valueText(*f.keywordValue.tree, f.keywordValue.id), found);
    if (k == "pattern")
        return QStringLiteral("%1 %2 does not match the pattern %3").arg(subject, found, text(f.keywordValue.text()));
    if (k == "format")
        return QStringLiteral("%1 %2 is not a valid %3").arg(subject, found, text(f.keywordValue.text()));
    if (k == "minLength" && f.keywordValue.text() == "1")
        return QStringLiteral("%1 must not be empty").arg(subject);
    if (k == "minLength" || k == "maxLength")
        return QStringLiteral("%1 must be at %2 %3 characters long (found %4)")
            .arg(subject, k == "minLength" ? QStringLiteral("least") : QStringLiteral("most"), number(f.keywordValue), found);
    if (k == "minimum" || k == "maximum" || k == "exclusiveMinimum" || k == "exclusiveMaximum")
        return boundMessage(f, instance, subject);
    if (k == "multipleOf")
        return QStringLiteral("%1 must be a multiple of %2 (found %3)").arg(subject, number(f.keywordValue), found);
    if (k == "minItems" && f.keywordValue.text() == "1")
        return QStringLiteral("%1 must not be empty").arg(subject);
    if (k == "minItems" || k == "maxItems")
        return QStringLiteral("%1 must have at %2 %3 items").arg(subject, k == "minItems" ? QStringLiteral("least") : QStringLiteral("most"), number(f.keywordValue));
    if ((k == "minProperties" || k == "maxProperties") && f.keywordValue.text() == "1")
        return QStringLiteral("%1 must have at %2 one entry").arg(subject, k == "minProperties" ? QStringLiteral("least") : QStringLiteral("most"));
    if (k == "minProperties" || k == "maxProperties")
        return QStringLiteral("%1 must have at %2 %3 entries").arg(subject, k == "minProperties" ? QStringLiteral("least") : QStringLiteral("most"), number(f.keywordValue));
    if (k == "uniqueItems")
        return QStringLiteral("%1 has duplicate items").arg(subject);
    if (k == "not")
        return notMessage(f, subject);
    if (k == "oneOf" || k == "anyOf") {
        const std::vector<std::string> names = requiredOfBranches(f.keywordValue);
        if (f.passingBranches > 1)
            return names.empty() ? QStringLiteral("%1 matches more than one alternative of a oneOf").arg(subject)
                                 : QStringLiteral("%1 must have either %2, not both").arg(subject, quotedList(names, "`", QStringLiteral("or")));
        if (!names.empty())
            return QStringLiteral("%1 needs %2 %3").arg(subject, k == "anyOf" ? QStringLiteral("at least one of") : QStringLiteral("one of"),
                                                       quotedList(names, "`", QStringLiteral("or")));
    }
    return subject + QStringLiteral(": ") + f.message;
}

qint64 failureOffset(const SchemaFailure &f, const NodeTree &instance, NodeId root)
{
    if (f.instance == kNoNode)
        return -1;
    const QByteArray &source = instance.source();
    auto keyOffset = [&](std::string_view key) -> qint64 {
        if (key.data() >= source.constData() && key.data() < source.constData() + source.size())
            return key.data() - source.constData();
        return -1;
    };
    // The key of the property the failure is about, when the object has it.
    std::string_view property;
    std::string notRequired;  // holds what `property` views for a `not`
    if (f.keyword != "required" && !f.properties.empty()) {
        property = f.properties.front();
    } else if (f.keyword == "not") {
        const std::vector<std::string> required = stringsOf(f.keywordValue.member("required"));
        if (!required.empty()) {
            notRequired = required.back();
            property = notRequired;
        }
    }
    if (!property.empty() && instance.isObject(f.instance)) {
        for (const Member *m = instance.membersBegin(f.instance); m != instance.membersEnd(f.instance); ++m) {
            if (m->key() == property) {
                const qint64 at = keyOffset(m->key());
                return at >= 0 ? at : keyBefore(instance, m->key(), instance.node(m->value).offset);
            }
        }
    }
    // Containers are shown at the key that names them in their parent.
    const NodeKind kind = instance.kind(f.instance);
    if ((kind == NodeKind::Object || kind == NodeKind::Array) && !f.instancePath.empty() && f.instance != root) {
        const NodeId parent = jsonpointer::resolve(instance, root, {f.instancePath.begin(), f.instancePath.end() - 1});
        if (instance.isObject(parent)) {
            for (const Member *m = instance.membersBegin(parent); m != instance.membersEnd(parent); ++m) {
                if (m->value == f.instance) {
                    const qint64 at = keyOffset(m->key());
                    return at >= 0 ? at : keyBefore(instance, m->key(), instance.node(m->value).offset);
                }
            }
        }
    }
    return instance.node(f.instance).offset;
}

} // namespace portolan
