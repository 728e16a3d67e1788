#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace portolan {
class ApiDocument;
struct RequestBody;
}

namespace portolan::gui {

// The request body of an operation: the content type to send, and a text
// editor (JSON highlighted) that starts with the generated example.
class RequestBodyEditor : public QWidget {
    Q_OBJECT
public:
    explicit RequestBodyEditor(QWidget *parent = nullptr);

    // `body` and `document` must stay alive while this editor shows them.
    void setRequestBody(const RequestBody &body, const ApiDocument &document);
    void clear();
    QString contentType() const;
    // Selects the content type (if offered) and the text; an empty text means "the example".
    void setContent(const QString &contentType, const QString &text);
    QString text() const;
    QPlainTextEdit *textEdit() const { return m_text; }
    QComboBox *contentTypeBox() const { return m_contentType; }

Q_SIGNALS:
    void edited();

private:
    void showExample();

    const RequestBody *m_body = nullptr;              // not owned
    const ApiDocument *m_document = nullptr;          // not owned
    QComboBox *m_contentType;                          // owned by this
    QLabel *m_description;                             // owned by this
    QPushButton *m_reset;                              // owned by this
    QPlainTextEdit *m_text;                            // owned by this
    bool m_loading = false;
};

} // namespace portolan::gui
