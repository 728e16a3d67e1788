#pragma once

#include <QTreeView>

namespace portolan {
class ReferenceResolver;
struct Response;
}

namespace portolan::gui {

class SchemaTreeModel;

// An operation's responses: each status with its media types and headers,
// and their schemas as an expandable tree.
class ResponsesView : public QTreeView {
    Q_OBJECT
public:
    explicit ResponsesView(QWidget *parent = nullptr);

    // `responses` and `resolver` must outlive what is shown.
    void setResponses(const QList<Response> &responses, const ReferenceResolver &resolver);
    void clear();
    SchemaTreeModel *schemaModel() const { return m_model; }

private:
    SchemaTreeModel *m_model;  // owned by this
};

} // namespace portolan::gui
