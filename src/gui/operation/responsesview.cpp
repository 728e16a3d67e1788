#include "responsesview.h"

#include "apimodel.h"
#include "schematreemodel.h"

#include <QHeaderView>

namespace portolan::gui {

ResponsesView::ResponsesView(QWidget *parent) : QTreeView(parent), m_model(new SchemaTreeModel(this))
{
    setModel(m_model);
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    setAccessibleName(tr("Responses"));
    header()->setStretchLastSection(true);
    header()->resizeSection(SchemaTreeModel::NameColumn, 240);
    header()->resizeSection(SchemaTreeModel::TypeColumn, 220);
    setMinimumHeight(280);
}

void ResponsesView::clear()
{
    m_model->reset(nullptr);
    m_model->finish();
}

void ResponsesView::setResponses(const QList<Response> &responses, const ReferenceResolver &resolver)
{
    m_model->reset(&resolver);
    for (const Response &response : responses) {
        const int group = m_model->addGroup(response.status, response.description.section(QLatin1Char('\n'), 0, 0));
        for (const MediaType &media : response.content) {
            if (media.schema.isValid())
                m_model->addSchema(group, media.contentType, media.schema);
            else
                m_model->addGroup(media.contentType, tr("no schema"), group);
        }
        if (!response.headers.isEmpty()) {
            const int headers = m_model->addGroup(tr("headers"), QString(), group);
            for (const Header &header : response.headers) {
                if (header.schema.isValid())
                    m_model->addSchema(headers, header.name, header.schema, header.description);
                else
                    m_model->addGroup(header.name, header.description, headers);
            }
        }
    }
    m_model->finish();
    expandToDepth(0);
}

} // namespace portolan::gui
