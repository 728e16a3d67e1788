#include "schemafailure.h"

#include "jsonpointer.h"
#include "schemamessages.h"

#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace portolan {

namespace {

std::vector<std::string> tokens(const QString &pointer)
{
    const QByteArray utf8 = pointer.toUtf8();
    return jsonpointer::split(std::string_view(utf8.constData(), std::size_t(utf8.size()))).value_or(std::vector<std::string>{});
}

// The names quoted in a message ("'foo' is not allowed"), for validators
// that report unexpected properties on the object rather than on each property.
std::vector<std::string> quotedNames(const QString &message)
{
    static const QRegularExpression quoted(QStringLiteral("['\"]([^'\"]+)['\"]"));
    std::vector<std::string> names;
    for (auto it = quoted.globalMatch(message); it.hasNext();)
        names.push_back(it.next().captured(1).toStdString());
    return names;
}

// additionalProperties: the members that neither `properties` nor `patternProperties` admit.
std::vector<std::string> unlistedMembers(const NodeTree &tree, NodeId object, const TreeValue &schema)
{
    std::vector<std::string> names;
    if (!tree.isObject(object))
        return names;
    const TreeValue properties = schema.member("properties");
    const TreeValue patterns = schema.member("patternProperties");
    std::vector<QRegularExpression> expressions;
    if (patterns.kind() == NodeKind::Object) {
        for (const Member *m = patterns.tree->membersBegin(patterns.id); m != patterns.tree->membersEnd(patterns.id); ++m)
            expressions.emplace_back(QString::fromUtf8(m->key().data(), qsizetype(m->key().size())));
    }
    for (const Member *m = tree.membersBegin(object); m != tree.membersEnd(object); ++m) {
        if (properties.member(m->key()).isValid())
            continue;
        const QString key = QString::fromUtf8(m->key().data(), qsizetype(m->key().size()));
        if (std::any_of(expressions.begin(), expressions.end(), [&](const QRegularExpression &e) { return e.match(key).hasMatch(); }))
            continue;
        names.emplace_back(m->key());
    }
    return names;
}

} // namespace

FailureReader::FailureReader(jsonschema::SchemaSet &set, jsonschema::Dialect dialect, const jsonschema::ValidationOptions &options)
    : m_set(set), m_dialect(dialect), m_options(options)
{
}

void FailureReader::addSchemaDocument(const SourceDocument *document)
{
    m_documents.insert(document->url().adjusted(QUrl::RemoveFragment), document);
    m_located.clear();  // a location not found before may be found now
}

TreeValue FailureReader::locate(const QString &schemaLocation) const
{
    // Failures name the same few keywords over and over, and parsing a URL and
    // hashing it costs far more than the lookup itself.
    const auto known = m_located.constFind(schemaLocation);
    if (known != m_located.constEnd())
        return *known;
    const TreeValue located = locateUncached(schemaLocation);
    m_located.insert(schemaLocation, located);
    return located;
}

TreeValue FailureReader::locateUncached(const QString &schemaLocation) const
{
    const QUrl url(schemaLocation);
    const SourceDocument *document = m_documents.value(url.adjusted(QUrl::RemoveFragment));
    if (!document)
        return {};
    const QByteArray fragment = url.fragment(QUrl::FullyEncoded).toUtf8();
    const auto path = jsonpointer::splitFragment(std::string_view(fragment.constData(), std::size_t(fragment.size())));
    if (!path)
        return {};
    return {&document->tree(), jsonpointer::resolve(document->tree(), document->tree().root(), *path)};
}

bool FailureReader::rereads(const jsonschema::ValidationError &e, int depth) const
{
    // A branch chosen by OpenAPI's discriminator ("closest is #1 ('kind' is 'cat')") is the one meant.
    static const QRegularExpression byDiscriminator(QStringLiteral("closest is #\\d+ \\("));
    if (e.keyword == QLatin1String("not"))
        return true;  // the validator reports nothing inside a `not`
    return (e.keyword == QLatin1String("oneOf") || e.keyword == QLatin1String("anyOf")) && depth < 6
           && locate(e.schemaLocation).kind() == NodeKind::Array && !byDiscriminator.match(e.message).hasMatch();
}

SchemaFailures FailureReader::read(const jsonschema::ValidationResult &result, NodeRef instance)
{
    return read(result, instance, {}, 0);
}

SchemaFailures FailureReader::read(const jsonschema::ValidationResult &result, NodeRef instance,
                                   const std::vector<std::string> &prefix, int depth)
{
    const auto &errors = result.errors;
    std::vector<bool> keep(std::size_t(errors.size()), true);
    // Inside an alternative that is read again branch by branch, the validator's
    // own pick of a branch gives way; elsewhere its pick stands.
    for (qsizetype i = 0; i < errors.size(); ++i) {
        if (!rereads(errors[i], depth))
            continue;
        const QString inside = errors[i].schemaPath + QLatin1Char('/');
        for (qsizetype j = 0; j < errors.size(); ++j) {
            if (j != i && errors[j].schemaPath.startsWith(inside))
                keep[std::size_t(j)] = false;
        }
    }
    // An alternative's summary whose branch errors follow (the validator's pick stands) gives way to them.
    for (qsizetype i = 0; i < errors.size(); ++i) {
        if (!keep[std::size_t(i)] || (errors[i].keyword != QLatin1String("oneOf") && errors[i].keyword != QLatin1String("anyOf")))
            continue;
        const QString inside = errors[i].schemaPath + QLatin1Char('/');
        for (qsizetype j = 0; j < errors.size(); ++j) {
            if (j != i && keep[std::size_t(j)] && errors[j].schemaPath.startsWith(inside)) {
                keep[std::size_t(i)] = false;
                break;
            }
        }
    }
    SchemaFailures out;
    QSet<QString> seen;
    for (qsizetype i = 0; i < errors.size(); ++i) {
        const jsonschema::ValidationError &e = errors[i];
        if (!keep[std::size_t(i)] || seen.contains(e.schemaPath + QLatin1Char('\n') + e.instancePointer))
            continue;
        seen.insert(e.schemaPath + QLatin1Char('\n') + e.instancePointer);
        out.push_back(failure(e, instance, prefix, depth));
    }
    return out;
}

SchemaFailure FailureReader::failure(const jsonschema::ValidationError &e, NodeRef instance,
                                     const std::vector<std::string> &prefix, int depth)
{
    SchemaFailure f;
    f.keyword = e.keyword.toStdString();
    if (f.keyword.empty() && !e.schemaLocation.isEmpty() && locate(e.schemaLocation).text() == "false")
        f.keyword = "false";
    f.instancePath = tokens(e.instancePointer);
    f.schemaPath = tokens(e.schemaPath);
    f.instance = e.instanceNode;
    f.message = e.message;
    f.keywordValue = locate(e.schemaLocation);
    const qsizetype slash = e.schemaLocation.lastIndexOf(QLatin1Char('/'));
    if (slash > 0)
        f.schema = locate(e.schemaLocation.left(slash));
    const NodeTree &tree = instance.tree();
    if (f.keyword == "required") {
        // One error per missing property arrives; they are one failure of one keyword.
        for (const std::string &name : stringsOf(f.keywordValue)) {
            if (tree.isObject(f.instance) && tree.member(f.instance, name) == kNoNode)
                f.properties.push_back(name);
        }
    }

    static const QRegularExpression propertyName(QStringLiteral("^property name '(.*)': "));
    if (const QRegularExpressionMatch name = propertyName.match(e.message); name.hasMatch()) {
        // propertyNames: about a key of the object at the instance path.
        f.properties = {name.captured(1).toStdString()};
        f.instance = jsonpointer::resolve(tree, instance.id, f.instancePath);
    } else if (f.keyword == "additionalProperties" || f.keyword == "unevaluatedProperties" || f.keyword == "false") {
        // Reported on the property itself: show it as a property of its object.
        if (!f.instancePath.empty()) {
            std::vector<std::string> parentPath(f.instancePath.begin(), f.instancePath.end() - 1);
            const NodeId parent = jsonpointer::resolve(tree, instance.id, parentPath);
            if (tree.isObject(parent) && tree.member(parent, f.instancePath.back()) == f.instance) {
                f.properties = {f.instancePath.back()};
                f.instancePath = std::move(parentPath);
                f.instance = parent;
            }
        }
        if (f.properties.empty())
            f.properties = f.keyword == "additionalProperties" ? unlistedMembers(tree, f.instance, f.schema) : quotedNames(e.message);
    }
    f.instancePath.insert(f.instancePath.begin(), prefix.begin(), prefix.end());

    if ((f.keyword == "oneOf" || f.keyword == "anyOf") && rereads(e, depth)) {
        const NodeRef at{instance.document, f.instance};
        const std::size_t count = f.keywordValue.tree->node(f.keywordValue.id).count;
        for (std::size_t i = 0; i < count; ++i) {
            // The same alternatives fail again and again (one example after another):
            // compiled once, as parsing the URL and finding it again cost more than the check.
            const QString location = e.schemaLocation + QLatin1Char('/') + QString::number(i);
            const jsonschema::Schema *&branch = m_branches[location];
            if (!branch)
                branch = m_set.compile(QUrl(location), m_dialect);
            if (!branch)
                return f;  // cannot tell the branches apart: the validator's message stands
            const jsonschema::ValidationResult r = jsonschema::validate(*branch, at, m_options);
            if (r.isValid())
                ++f.passingBranches;
            f.branches.push_back(r.isValid() ? SchemaFailures{} : read(r, at, f.instancePath, depth + 1));
        }
        if (f.passingBranches > 0)
            f.branches.clear();
    }
    return f;
}

} // namespace portolan
