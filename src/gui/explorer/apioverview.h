#pragma once

#include <QTextBrowser>

namespace portolan {
class ApiDocument;
}

namespace portolan::gui {

// The first page of an API: title, version, description, servers and
// security schemes, written as Markdown and rendered by QTextDocument.
class ApiOverview : public QTextBrowser {
    Q_OBJECT
public:
    explicit ApiOverview(QWidget *parent = nullptr);

    void showDocument(const ApiDocument &document);
    static QString markdown(const ApiDocument &document);
};

} // namespace portolan::gui
