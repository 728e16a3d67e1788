#pragma once

#include <QHash>
#include <QSet>
#include <QWidget>

class QGridLayout;
class QLabel;

namespace portolan {
class ReferenceResolver;
struct Parameter;
}

namespace portolan::gui {

class ParameterField;

// The parameters of an operation as a form generated from their schemas,
// grouped by location, with required marks and live validation messages.
// Values are keyed "in:name" (e.g. "query:limit").
class ParameterForm : public QWidget {
    Q_OBJECT
public:
    explicit ParameterForm(QWidget *parent = nullptr);

    // `sensitive` holds keys whose values are credentials (e.g. the header an
    // apiKey scheme uses): they are masked and never returned by persistentValues().
    void setParameters(const QList<Parameter> &parameters, const ReferenceResolver &resolver,
                       const QSet<QString> &sensitive);
    void clear();
    QHash<QString, QString> values() const;
    // Values that may be written to disk: everything but the sensitive ones.
    QHash<QString, QString> persistentValues() const;
    // Keys not in `values` keep their schema default.
    void setValues(const QHash<QString, QString> &values);
    ParameterField *field(const QString &key) const;
    QString validationMessage(const QString &key) const;
    bool isValid() const;
    bool isEmpty() const { return m_fields.isEmpty(); }

    static QString key(const Parameter &parameter);

Q_SIGNALS:
    void edited();

protected:
    void changeEvent(QEvent *event) override;  // required marks and hints follow the theme

private:
    struct Row {
        QString key;
        ParameterField *field;  // owned by this
        QLabel *message;        // owned by this
        QLabel *label;          // owned by this
        QString name;
        bool required;
        bool deprecated;
    };
    void updateMessage(const Row &row);
    QString labelText(const Row &row) const;

    QGridLayout *m_grid;  // owned by this
    QVector<Row> m_fields;
    QSet<QString> m_sensitive;
    bool m_loading = false;
};

} // namespace portolan::gui
