import { checkKeptStatementTexts } from '../../src/store/sql-fragments.js';

// Every test file's reads check the statement texts kept by shape against the texts built anew
// (sql-fragments.ts, keptStatementTexts): a shape key that misses something its text depends on
// fails the first test reading two pages of that key.
checkKeptStatementTexts();
