#include "schematreemodel.h"

#include "parameterschema.h"
#include "referenceresolver.h"

#include <QFont>

namespace portolan::gui {

namespace {
QString keyText(std::string_view key)
{
    return QString::fromUtf8(key.data(), qsizetype(key.size()));
}

QString typeText(NodeRef schema, const ReferenceResolver &resolver)
{
    const client::FieldSchema field = client::readFieldSchema(schema, resolver);
    QString type = field.type;
    if (type == QLatin1String("array")) {
        const NodeRef items = resolver.resolve(schema).member("items");
        const QString itemRef = client::referenceName(items);
        type = QStringLiteral("array of %1").arg(itemRef.isEmpty() ? (field.itemType.isEmpty() ? QStringLiteral("any") : field.itemType) : itemRef);
    } else if (type.isEmpty()) {
        const NodeRef resolved = resolver.resolve(schema);
        for (const char *combiner : {"allOf", "oneOf", "anyOf"}) {
            if (resolved.member(combiner).isValid())
                return QString::fromLatin1(combiner);
        }
        type = QStringLiteral("any");
    }
    if (!field.format.isEmpty())
        type += QStringLiteral(" (%1)").arg(field.format);
    return type;
}

QString detailText(NodeRef resolved, bool required)
{
    QStringList parts;
    if (required)
        parts << QStringLiteral("required");
    if (resolved.member("readOnly").text() == "true")
        parts << QStringLiteral("read-only");
    if (resolved.member("writeOnly").text() == "true")
        parts << QStringLiteral("write-only");
    if (resolved.member("deprecated").text() == "true")
        parts << QStringLiteral("deprecated");
    const NodeRef enumValues = resolved.member("enum");
    if (enumValues.kind() == NodeKind::Array)
        parts << QStringLiteral("one of: %1").arg(client::scalarText(enumValues));
    const QString description = resolved.member("description").string().section(QLatin1Char('\n'), 0, 0);
    if (!description.isEmpty())
        parts << description;
    return parts.join(QStringLiteral(" · "));
}
} // namespace

SchemaTreeModel::SchemaTreeModel(QObject *parent) : QAbstractItemModel(parent) {}

void SchemaTreeModel::reset(const ReferenceResolver *resolver)
{
    beginResetModel();
    m_resetting = true;
    m_resolver = resolver;
    m_items.clear();
    m_roots.clear();
}

void SchemaTreeModel::finish()
{
    if (m_resetting) {
        m_resetting = false;
        endResetModel();
    }
}

int SchemaTreeModel::addItem(int parent, Item item)
{
    QVector<int> &siblings = parent < 0 ? m_roots : m_items[parent].children;
    item.parent = parent;
    item.row = int(siblings.size());
    const int id = int(m_items.size());
    m_items.append(std::move(item));
    (parent < 0 ? m_roots : m_items[parent].children).append(id);
    return id;
}

int SchemaTreeModel::addGroup(const QString &name, const QString &detail, int parent)
{
    Item item;
    item.name = name;
    item.detail = detail;
    return addItem(parent, std::move(item));
}

void SchemaTreeModel::addSchema(int parent, const QString &name, NodeRef schema, const QString &detail)
{
    addSchemaItem(parent, name, schema, detail, false);
}

bool SchemaTreeModel::onAncestorPath(int item, NodeRef target) const
{
    for (int i = item; i >= 0; i = m_items[i].parent) {
        if (m_items[i].target == target)
            return true;
    }
    return false;
}

void SchemaTreeModel::addSchemaItem(int parent, const QString &name, NodeRef schema, const QString &detail,
                                    bool required)
{
    Item item;
    item.name = name;
    item.refName = client::referenceName(schema);
    QString error;
    const NodeRef target = m_resolver->resolve(schema, &error);
    if (!target.isValid()) {
        item.type = item.refName.isEmpty() ? QStringLiteral("?") : item.refName;
        item.detail = tr("⚠ unresolved: %1").arg(error);
        addItem(parent, std::move(item));
        return;
    }
    if (!item.refName.isEmpty() && onAncestorPath(parent, target)) {
        item.isCycle = true;
        item.type = tr("↻ cycle → %1").arg(item.refName);
        item.detail = tr("refers back to an enclosing schema");
        addItem(parent, std::move(item));
        return;
    }
    item.target = target;
    item.type = typeText(schema, *m_resolver);
    if (!item.refName.isEmpty())
        item.type = QStringLiteral("%1 · %2").arg(item.refName, item.type);
    item.detail = detail.isEmpty() ? detailText(target, required) : detail;
    item.childrenLoaded = false;
    addItem(parent, std::move(item));
}

void SchemaTreeModel::loadChildren(int id) const
{
    if (m_items[id].childrenLoaded)
        return;
    m_items[id].childrenLoaded = true;
    auto *self = const_cast<SchemaTreeModel *>(this);
    const NodeRef schema = m_items[id].target;
    const NodeTree &tree = schema.tree();

    QStringList requiredNames;
    const NodeRef required = schema.member("required");
    if (required.kind() == NodeKind::Array)
        requiredNames = client::scalarText(required).split(QStringLiteral(", "));

    const NodeRef properties = schema.member("properties");
    if (properties.kind() == NodeKind::Object) {
        for (const Member *m = tree.membersBegin(properties.id); m != tree.membersEnd(properties.id); ++m) {
            const QString name = keyText(m->key());
            self->addSchemaItem(id, name, {schema.document, m->value}, {}, requiredNames.contains(name));
        }
    }
    const NodeRef items = schema.member("items");
    if (items.kind() == NodeKind::Object)
        self->addSchemaItem(id, tr("[items]"), items, {}, false);
    const NodeRef additional = schema.member("additionalProperties");
    if (additional.kind() == NodeKind::Object)
        self->addSchemaItem(id, tr("{additional properties}"), additional, {}, false);
    for (const char *combiner : {"allOf", "oneOf", "anyOf"}) {
        const NodeRef list = schema.member(combiner);
        if (list.kind() != NodeKind::Array)
            continue;
        int n = 1;
        for (const Member *m = tree.membersBegin(list.id); m != tree.membersEnd(list.id); ++m, ++n)
            self->addSchemaItem(id, QStringLiteral("%1[%2]").arg(QLatin1String(combiner)).arg(n),
                                {schema.document, m->value}, {}, false);
    }
    const NodeRef notSchema = schema.member("not");
    if (notSchema.kind() == NodeKind::Object)
        self->addSchemaItem(id, QStringLiteral("not"), notSchema, {}, false);
}

const QVector<int> &SchemaTreeModel::childrenOf(int item) const
{
    if (item < 0)
        return m_roots;
    loadChildren(item);
    return m_items[item].children;
}

QModelIndex SchemaTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    const QVector<int> &children = childrenOf(parent.isValid() ? int(parent.internalId()) : -1);
    if (row < 0 || row >= children.size() || column < 0 || column >= ColumnCount)
        return {};
    return createIndex(row, column, quintptr(children[row]));
}

QModelIndex SchemaTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const int parentId = m_items[int(child.internalId())].parent;
    if (parentId < 0)
        return {};
    return createIndex(m_items[parentId].row, 0, quintptr(parentId));
}

int SchemaTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    return int(childrenOf(parent.isValid() ? int(parent.internalId()) : -1).size());
}

int SchemaTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool SchemaTreeModel::hasChildren(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return !m_roots.isEmpty();
    if (parent.column() > 0)
        return false;
    const Item &item = m_items[int(parent.internalId())];
    if (!item.childrenLoaded) {
        const NodeRef s = item.target;
        for (const char *key : {"properties", "items", "additionalProperties", "allOf", "oneOf", "anyOf", "not"}) {
            const NodeKind kind = s.member(key).kind();
            if (kind == NodeKind::Object || kind == NodeKind::Array)
                return true;
        }
        return false;
    }
    return !item.children.isEmpty();
}

QVariant SchemaTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Item &item = m_items[int(index.internalId())];
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        switch (index.column()) {
        case NameColumn:
            return item.name;
        case TypeColumn:
            return item.type;
        case DetailColumn:
            return item.detail;
        }
        return {};
    case Qt::FontRole:
        if (index.column() == NameColumn && item.parent < 0) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        if (item.isCycle) {
            QFont italic;
            italic.setItalic(true);
            return italic;
        }
        return {};
    case IsCycleRole:
        return item.isCycle;
    case ReferenceNameRole:
        return item.refName;
    default:
        return {};
    }
}

QVariant SchemaTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case TypeColumn:
        return tr("Type");
    case DetailColumn:
        return tr("Details");
    }
    return {};
}

} // namespace portolan::gui
