package store

// JSONTextForTest exposes jsonText to the external tests.
var JSONTextForTest = jsonText
