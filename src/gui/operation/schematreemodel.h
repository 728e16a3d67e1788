#pragma once

#include "sourcedocument.h"

#include <QAbstractItemModel>
#include <QVector>

namespace portolan {
class ReferenceResolver;
}

namespace portolan::gui {

// Schemas as a tree (name, type, details), expanded lazily as the user opens
// nodes. `$ref` names are shown with the type; a reference back to a schema
// that is already open above is shown as a "↻ cycle" leaf instead of being
// followed again.
class SchemaTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { NameColumn, TypeColumn, DetailColumn, ColumnCount };
    enum Role { IsCycleRole = Qt::UserRole + 1, ReferenceNameRole };

    explicit SchemaTreeModel(QObject *parent = nullptr);

    // Starts over. `resolver` is not owned and must outlive the rows added.
    void reset(const ReferenceResolver *resolver);
    // A plain row (e.g. a response status) to hang schemas under; returns its id.
    int addGroup(const QString &name, const QString &detail, int parent = -1);
    void addSchema(int parent, const QString &name, NodeRef schema, const QString &detail = {});
    void finish();  // ends a reset() … add…() sequence

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Item {
        int parent = -1;
        int row = 0;
        QString name;
        QString type;
        QString detail;
        QString refName;
        NodeRef target;  // the resolved schema; invalid for groups and cycles
        bool isCycle = false;
        bool childrenLoaded = true;
        QVector<int> children;
    };

    int addItem(int parent, Item item);
    void addSchemaItem(int parent, const QString &name, NodeRef schema, const QString &detail, bool required);
    void loadChildren(int item) const;
    bool onAncestorPath(int item, NodeRef target) const;
    const QVector<int> &childrenOf(int item) const;

    const ReferenceResolver *m_resolver = nullptr;  // not owned
    // Children are created when a row is first expanded, from const accessors.
    mutable QVector<Item> m_items;
    QVector<int> m_roots;
    bool m_resetting = false;
};

} // namespace portolan::gui
