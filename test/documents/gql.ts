/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation AtomicAppend($messages: [MessageInput!]!) {\n    appendMessages(sessionId: \"atomic\", messages: $messages) {\n      messagesCreated messagesAlreadyPresent sourcesCreated\n      items { position ... on ConversationMessage { messageId } ... on Source { key } }\n    }\n  }\n": typeof types.AtomicAppendDocument,
    "\n  mutation RacingAppend($sessionId: ID!, $messages: [MessageInput!]!) {\n    appendMessages(sessionId: $sessionId, messages: $messages) { messagesCreated messagesAlreadyPresent sourcesCreated }\n  }\n": typeof types.RacingAppendDocument,
    "\n  mutation RacingCreateSession($sessionId: String!) {\n    createSession(sessionId: $sessionId, assistantId: \"aia_asst_race\") { created session { sessionId } }\n  }\n": typeof types.RacingCreateSessionDocument,
    "subscription WatchRotated($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }": typeof types.WatchRotatedDocument,
    "subscription WatchAfterOutage($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }": typeof types.WatchAfterOutageDocument,
    "subscription WatchWithdrawn($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }": typeof types.WatchWithdrawnDocument,
    "\n  mutation AppendToWatched($sessionId: ID!, $messageId: String!) {\n    appendMessages(sessionId: $sessionId, messages: [{ messageId: $messageId, role: USER, text: \"hello\" }]) { messagesCreated }\n  }\n": typeof types.AppendToWatchedDocument,
    "\n  mutation AppendWithKey($sessionId: ID!, $messageId: String!) {\n    appendMessages(sessionId: $sessionId, messages: [{ messageId: $messageId, role: USER, text: \"hello\" }]) { messagesCreated }\n  }\n": typeof types.AppendWithKeyDocument,
    "query WhoAmI { account { sid } sessions { totalCount } }": typeof types.WhoAmIDocument,
    "\n  mutation DeleteSession($sessionId: ID!) {\n    deleteSession(sessionId: $sessionId) { deletedSessionId sessionId messagesDeleted sourcesDeleted }\n  }\n": typeof types.DeleteSessionDocument,
    "\n  mutation EraseIdentity($identity: String!) {\n    eraseIdentity(identity: $identity) { sessionsDeleted messagesDeleted sourcesDeleted }\n  }\n": typeof types.EraseIdentityDocument,
    "\n  query ErasedSession($id: ID!) { session(id: $id) { id messages(first: 2) { pageInfo { endCursor } } } }\n": typeof types.ErasedSessionDocument,
    "\n  query ErasedNode($id: ID!) { node(id: $id) { id } }\n": typeof types.ErasedNodeDocument,
    "\n  query ErasedSearch($query: String!) { search(query: $query, first: 10) { edges { node { snippet } } } }\n": typeof types.ErasedSearchDocument,
    "\n  query ErasedAfter($id: ID!, $after: String!) { session(id: $id) { messages(first: 2, after: $after) { edges { cursor } } } }\n": typeof types.ErasedAfterDocument,
    "\n  query ErasedSummary($id: ID!) { session(id: $id) { summary { itemCount messageCount sourceCount averageConfidence } messages { totalCount } } }\n": typeof types.ErasedSummaryDocument,
    "\n  mutation RecreateSession($sessionId: String!) { createSession(sessionId: $sessionId) { created } }\n": typeof types.RecreateSessionDocument,
    "\n  subscription ErasedAdded($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }\n": typeof types.ErasedAddedDocument,
    "\n  mutation ExplorerTestAppend($sessionId: ID!, $messages: [MessageInput!]!) {\n    appendMessages(sessionId: $sessionId, messages: $messages) { messagesCreated }\n  }\n": typeof types.ExplorerTestAppendDocument,
    "\n  subscription Follow($sessionId: ID!, $after: String) {\n    messageAdded(sessionId: $sessionId, after: $after) { cursor message { position ... on ChatMessage { messageId } } }\n  }\n": typeof types.FollowDocument,
    "\n  mutation AppendOne($sessionId: ID!, $messageId: String!) {\n    appendMessages(sessionId: $sessionId, messages: [{ messageId: $messageId, role: USER, text: \"hello\" }]) { messagesCreated }\n  }\n": typeof types.AppendOneDocument,
    "\n  query Messages($session: ID!, $first: Int, $last: Int, $after: String, $before: String) {\n    session(id: $session) {\n      messages(first: $first, last: $last, after: $after, before: $before) {\n        edges { cursor node { position } }\n      }\n    }\n  }\n": typeof types.MessagesDocument,
    "\n  query Timeline($session: ID!) {\n    session(id: $session) {\n      id\n      messages(first: 20) { edges { node { id __typename position } } }\n    }\n  }\n": typeof types.TimelineDocument,
    "\n  query Node($id: ID!) { node(id: $id) { id __typename ... on Message { position } } }\n": typeof types.NodeDocument,
    "\n  query Nodes($ids: [ID!]!) { nodes(ids: $ids) { id __typename } }\n": typeof types.NodesDocument,
    "\n  query SessionList { sessions(first: 10) { totalCount edges { node { sessionId } } } }\n": typeof types.SessionListDocument,
    "\n  query ForwardPage($session: ID!, $first: Int, $after: String) {\n    session(id: $session) {\n      messages(first: $first, after: $after) {\n        edges { cursor node { __typename position } }\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      }\n    }\n  }\n": typeof types.ForwardPageDocument,
    "\n  query BackwardPage($session: ID!, $last: Int, $before: String) {\n    session(id: $session) {\n      messages(last: $last, before: $before) {\n        edges { cursor node { __typename position } }\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      }\n    }\n  }\n": typeof types.BackwardPageDocument,
    "\n  query SessionPage($session: ID!, $first: Int!) {\n    session(id: $session) {\n      messages(first: $first) {\n        totalCount\n        edges {\n          node {\n            __typename\n            ... on ChatMessage { text sources { key text url title score } }\n            ... on KnowledgeCall { sources { key title } }\n            ... on Source { key }\n          }\n        }\n      }\n    }\n  }\n": typeof types.SessionPageDocument,
    "\n  query ManySessions($sessions: Int!) {\n    sessions(first: $sessions) {\n      edges {\n        node {\n          sessionId\n          messages(first: 10) {\n            totalCount\n            edges { node { __typename ... on ChatMessage { sources { key } } ... on KnowledgeCall { sources { key } } } }\n          }\n        }\n      }\n    }\n  }\n": typeof types.ManySessionsDocument,
    "\n  query FirstPage($session: ID!, $first: Int!) {\n    session(id: $session) {\n      sessionId\n      messages(first: $first) {\n        edges { cursor node { __typename position ... on ChatMessage { text sources { key } } } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": typeof types.FirstPageDocument,
    "\n  query PageAfter($session: ID!, $first: Int!, $after: String!) {\n    session(id: $session) {\n      sessionId\n      messages(first: $first, after: $after) {\n        edges { cursor node { __typename position ... on ChatMessage { text sources { key } } } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": typeof types.PageAfterDocument,
    "\n    query Backlinks($session: ID!) {\n      session(id: $session) {\n        messages(first: 1000, types: [SOURCE]) { edges { node { session { sessionId } ... on Source { message { __typename position } } } } }\n      }\n    }\n  ": typeof types.BacklinksDocument,
    "\n    query StoredColumns($session: ID!) {\n      session(id: $session) { messages(first: 8) { edges { node { ...Stored } } } }\n    }\n    fragment Stored on Message {\n      changed: updatedAt\n      ... on ConversationMessage { body: content }\n      ... on ToolCall { toolName }\n    }\n  ": typeof types.StoredColumnsDocument,
    "\n  query SessionsWithSummaries($first: Int!) {\n    sessions(first: $first, orderBy: LAST_MESSAGE_AT_DESC, filter: { identity: \"user:test\", createdAfter: \"2000-01-01T00:00:00Z\" }) {\n      totalCount\n      edges {\n        node {\n          sessionId\n          assistant { assistantId }\n          summary { itemCount messageCount toolCallCount knowledgeCallCount sourceCount firstMessageAt lastMessageAt averageConfidence }\n        }\n      }\n    }\n  }\n": typeof types.SessionsWithSummariesDocument,
    "\n  query SearchPage($first: Int!) {\n    search(query: \"message\", first: $first) {\n      totalCount\n      edges {\n        node {\n          score\n          snippet\n          session { sessionId summary { itemCount } }\n          item { __typename position ... on ChatMessage { text sources { key } } ... on KnowledgeCall { sources { key } } }\n        }\n      }\n    }\n  }\n": typeof types.SearchPageDocument,
    "\n  mutation HostileAppend($sessionId: ID!, $messages: [MessageInput!]!) {\n    appendMessages(sessionId: $sessionId, messages: $messages) { messagesCreated sourcesCreated }\n  }\n": typeof types.HostileAppendDocument,
    "\n  mutation HostileCreateSession($sessionId: String!, $name: String, $assistantId: String) {\n    createSession(sessionId: $sessionId, name: $name, assistantId: $assistantId) { created }\n  }\n": typeof types.HostileCreateSessionDocument,
    "\n  query HostilePage($session: ID!, $after: String, $before: String) {\n    session(id: $session) { messages(first: 2, after: $after, before: $before) { edges { node { position } } } }\n  }\n": typeof types.HostilePageDocument,
    "subscription Watch($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }": typeof types.WatchDocument,
    "\n  subscription AddedAcross($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor message { position ... on ChatMessage { messageId text } } } }\n": typeof types.AddedAcrossDocument,
    "\n  mutation AppendAcross($sessionId: ID!, $messageId: String!) {\n    appendMessages(sessionId: $sessionId, messages: [{ messageId: $messageId, role: USER, text: \"across processes\" }]) { messagesCreated }\n  }\n": typeof types.AppendAcrossDocument,
    "\n  mutation DeleteAcross($sessionId: ID!) { deleteSession(sessionId: $sessionId) { messagesDeleted } }\n": typeof types.DeleteAcrossDocument,
    "\n  mutation CreateSession($sessionId: String!, $name: String) {\n    createSession(sessionId: $sessionId, name: $name, assistantId: \"aia_asst_live\", identity: \"user:live\") {\n      created\n      session { sessionId name identity assistant { assistantId } }\n    }\n  }\n": typeof types.CreateSessionDocument,
    "\n  mutation Append($sessionId: ID!, $messages: [MessageInput!]!) {\n    appendMessages(sessionId: $sessionId, messages: $messages) {\n      messagesCreated messagesAlreadyPresent sourcesCreated\n      items { __typename position ... on ConversationMessage { messageId role text content meta origin } ... on Source { key url } }\n    }\n  }\n": typeof types.AppendDocument,
    "\n  query LiveTimeline($session: ID!) {\n    session(id: $session) { messages(first: 1000) { totalCount edges { node { position ... on ConversationMessage { messageId } } } } }\n  }\n": typeof types.LiveTimelineDocument,
    "\n  subscription MessageAdded($sessionId: ID!) {\n    messageAdded(sessionId: $sessionId) {\n      cursor\n      session { sessionId }\n      message { __typename position ... on ChatMessage { messageId text sources { key } } ... on Source { key } }\n    }\n  }\n": typeof types.MessageAddedDocument,
    "query Resume($after: String) { session(id: \"chat\") { messages(after: $after) { edges { node { position } } } } }": typeof types.ResumeDocument,
    "\n      subscription LatestPage($sessionId: ID!) {\n        messageAdded(sessionId: $sessionId) {\n          message { position }\n          session { messages(last: 1) { totalCount edges { node { position } } } }\n        }\n      }\n    ": typeof types.LatestPageDocument,
    "subscription Watched($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }": typeof types.WatchedDocument,
    "query Counted { sessions { totalCount } }": typeof types.CountedDocument,
    "mutation Created($sessionId: String!) { createSession(sessionId: $sessionId) { created } }": typeof types.CreatedDocument,
    "\n  query OpaqueSessionPage($first: Int, $after: String) {\n    sessions(first: $first, after: $after) { edges { cursor node { id sessionId } } pageInfo { endCursor } }\n  }\n": typeof types.OpaqueSessionPageDocument,
    "\n  query OpaqueTimelinePage($session: ID!, $first: Int, $after: String) {\n    session(id: $session) { id messages(first: $first, after: $after) { edges { cursor node { id __typename position } } } }\n  }\n": typeof types.OpaqueTimelinePageDocument,
    "\n  query OpaqueNode($id: ID!) { node(id: $id) { id __typename } }\n": typeof types.OpaqueNodeDocument,
    "\n  mutation Opened($sessionId: String!, $name: String!, $identity: String!) {\n    createSession(sessionId: $sessionId, name: $name, identity: $identity) { created }\n  }\n": typeof types.OpenedDocument,
    "\n  mutation Told($sessionId: ID!, $identity: String!, $text: String!) {\n    appendMessages(sessionId: $sessionId, messages: [{ messageId: \"m1\", role: USER, text: $text, identity: $identity }]) { messagesCreated }\n  }\n": typeof types.ToldDocument,
    "query Searched($query: String!) { search(query: $query, first: 5) { edges { node { snippet } } } }": typeof types.SearchedDocument,
    "mutation Deleted($sessionId: ID!) { deleteSession(sessionId: $sessionId) { messagesDeleted } }": typeof types.DeletedDocument,
    "mutation Erased($identity: String!) { eraseIdentity(identity: $identity) { sessionsDeleted } }": typeof types.ErasedDocument,
    "\n  mutation AppendToQuiet($sessionId: ID!) { appendMessages(sessionId: $sessionId, messages: [{ messageId: \"m1\", role: USER, text: \"hi\" }]) { messagesCreated } }\n": typeof types.AppendToQuietDocument,
    "\n  mutation AppendDeep($sessionId: ID!, $content: JSON!) { appendMessages(sessionId: $sessionId, messages: [{ messageId: \"deep\", role: USER, content: $content }]) { messagesCreated } }\n": typeof types.AppendDeepDocument,
    "\n  query MigratingPage($session: ID!) {\n    session(id: $session) { sessionId messages(first: 30) { edges { node { __typename position ... on ChatMessage { sources { key } } } } } }\n  }\n": typeof types.MigratingPageDocument,
    "\n  query Search($query: String!, $first: Int, $after: String, $sessionId: ID, $roles: [Role!], $types: [MessageType!], $createdAfter: DateTime, $createdBefore: DateTime) {\n    search(query: $query, first: $first, after: $after, sessionId: $sessionId, roles: $roles, types: $types, createdAfter: $createdAfter, createdBefore: $createdBefore) {\n      totalCount\n      edges {\n        cursor\n        node {\n          score\n          snippet\n          session { sessionId }\n          item { __typename ... on ChatMessage { messageId text } ... on ToolCall { messageId } ... on KnowledgeCall { messageId } ... on Source { key title } }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.SearchDocument,
    "\n  query FilteredSessions($filter: SessionFilter, $orderBy: SessionOrder, $first: Int, $after: String, $last: Int, $before: String) {\n    sessions(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      edges { cursor node { sessionId } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n": typeof types.FilteredSessionsDocument,
    "\n  query Summaries {\n    sessions(first: 1000) {\n      edges {\n        node {\n          sessionId\n          summary { itemCount messageCount toolCallCount knowledgeCallCount sourceCount firstMessageAt lastMessageAt averageConfidence }\n        }\n      }\n    }\n  }\n": typeof types.SummariesDocument,
    "\n  mutation CreateSummarySession($sessionId: String!) { createSession(sessionId: $sessionId) { created } }\n": typeof types.CreateSummarySessionDocument,
    "\n  mutation AppendForSummary($sessionId: ID!, $messages: [MessageInput!]!) {\n    appendMessages(sessionId: $sessionId, messages: $messages) { messagesCreated }\n  }\n": typeof types.AppendForSummaryDocument,
    "\n  subscription ResumeQuiet($sessionId: ID!, $after: String) { messageAdded(sessionId: $sessionId, after: $after) { cursor message { position } } }\n": typeof types.ResumeQuietDocument,
};
const documents: Documents = {
    "\n  mutation AtomicAppend($messages: [MessageInput!]!) {\n    appendMessages(sessionId: \"atomic\", messages: $messages) {\n      messagesCreated messagesAlreadyPresent sourcesCreated\n      items { position ... on ConversationMessage { messageId } ... on Source { key } }\n    }\n  }\n": types.AtomicAppendDocument,
    "\n  mutation RacingAppend($sessionId: ID!, $messages: [MessageInput!]!) {\n    appendMessages(sessionId: $sessionId, messages: $messages) { messagesCreated messagesAlreadyPresent sourcesCreated }\n  }\n": types.RacingAppendDocument,
    "\n  mutation RacingCreateSession($sessionId: String!) {\n    createSession(sessionId: $sessionId, assistantId: \"aia_asst_race\") { created session { sessionId } }\n  }\n": types.RacingCreateSessionDocument,
    "subscription WatchRotated($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }": types.WatchRotatedDocument,
    "subscription WatchAfterOutage($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }": types.WatchAfterOutageDocument,
    "subscription WatchWithdrawn($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }": types.WatchWithdrawnDocument,
    "\n  mutation AppendToWatched($sessionId: ID!, $messageId: String!) {\n    appendMessages(sessionId: $sessionId, messages: [{ messageId: $messageId, role: USER, text: \"hello\" }]) { messagesCreated }\n  }\n": types.AppendToWatchedDocument,
    "\n  mutation AppendWithKey($sessionId: ID!, $messageId: String!) {\n    appendMessages(sessionId: $sessionId, messages: [{ messageId: $messageId, role: USER, text: \"hello\" }]) { messagesCreated }\n  }\n": types.AppendWithKeyDocument,
    "query WhoAmI { account { sid } sessions { totalCount } }": types.WhoAmIDocument,
    "\n  mutation DeleteSession($sessionId: ID!) {\n    deleteSession(sessionId: $sessionId) { deletedSessionId sessionId messagesDeleted sourcesDeleted }\n  }\n": types.DeleteSessionDocument,
    "\n  mutation EraseIdentity($identity: String!) {\n    eraseIdentity(identity: $identity) { sessionsDeleted messagesDeleted sourcesDeleted }\n  }\n": types.EraseIdentityDocument,
    "\n  query ErasedSession($id: ID!) { session(id: $id) { id messages(first: 2) { pageInfo { endCursor } } } }\n": types.ErasedSessionDocument,
    "\n  query ErasedNode($id: ID!) { node(id: $id) { id } }\n": types.ErasedNodeDocument,
    "\n  query ErasedSearch($query: String!) { search(query: $query, first: 10) { edges { node { snippet } } } }\n": types.ErasedSearchDocument,
    "\n  query ErasedAfter($id: ID!, $after: String!) { session(id: $id) { messages(first: 2, after: $after) { edges { cursor } } } }\n": types.ErasedAfterDocument,
    "\n  query ErasedSummary($id: ID!) { session(id: $id) { summary { itemCount messageCount sourceCount averageConfidence } messages { totalCount } } }\n": types.ErasedSummaryDocument,
    "\n  mutation RecreateSession($sessionId: String!) { createSession(sessionId: $sessionId) { created } }\n": types.RecreateSessionDocument,
    "\n  subscription ErasedAdded($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }\n": types.ErasedAddedDocument,
    "\n  mutation ExplorerTestAppend($sessionId: ID!, $messages: [MessageInput!]!) {\n    appendMessages(sessionId: $sessionId, messages: $messages) { messagesCreated }\n  }\n": types.ExplorerTestAppendDocument,
    "\n  subscription Follow($sessionId: ID!, $after: String) {\n    messageAdded(sessionId: $sessionId, after: $after) { cursor message { position ... on ChatMessage { messageId } } }\n  }\n": types.FollowDocument,
    "\n  mutation AppendOne($sessionId: ID!, $messageId: String!) {\n    appendMessages(sessionId: $sessionId, messages: [{ messageId: $messageId, role: USER, text: \"hello\" }]) { messagesCreated }\n  }\n": types.AppendOneDocument,
    "\n  query Messages($session: ID!, $first: Int, $last: Int, $after: String, $before: String) {\n    session(id: $session) {\n      messages(first: $first, last: $last, after: $after, before: $before) {\n        edges { cursor node { position } }\n      }\n    }\n  }\n": types.MessagesDocument,
    "\n  query Timeline($session: ID!) {\n    session(id: $session) {\n      id\n      messages(first: 20) { edges { node { id __typename position } } }\n    }\n  }\n": types.TimelineDocument,
    "\n  query Node($id: ID!) { node(id: $id) { id __typename ... on Message { position } } }\n": types.NodeDocument,
    "\n  query Nodes($ids: [ID!]!) { nodes(ids: $ids) { id __typename } }\n": types.NodesDocument,
    "\n  query SessionList { sessions(first: 10) { totalCount edges { node { sessionId } } } }\n": types.SessionListDocument,
    "\n  query ForwardPage($session: ID!, $first: Int, $after: String) {\n    session(id: $session) {\n      messages(first: $first, after: $after) {\n        edges { cursor node { __typename position } }\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      }\n    }\n  }\n": types.ForwardPageDocument,
    "\n  query BackwardPage($session: ID!, $last: Int, $before: String) {\n    session(id: $session) {\n      messages(last: $last, before: $before) {\n        edges { cursor node { __typename position } }\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      }\n    }\n  }\n": types.BackwardPageDocument,
    "\n  query SessionPage($session: ID!, $first: Int!) {\n    session(id: $session) {\n      messages(first: $first) {\n        totalCount\n        edges {\n          node {\n            __typename\n            ... on ChatMessage { text sources { key text url title score } }\n            ... on KnowledgeCall { sources { key title } }\n            ... on Source { key }\n          }\n        }\n      }\n    }\n  }\n": types.SessionPageDocument,
    "\n  query ManySessions($sessions: Int!) {\n    sessions(first: $sessions) {\n      edges {\n        node {\n          sessionId\n          messages(first: 10) {\n            totalCount\n            edges { node { __typename ... on ChatMessage { sources { key } } ... on KnowledgeCall { sources { key } } } }\n          }\n        }\n      }\n    }\n  }\n": types.ManySessionsDocument,
    "\n  query FirstPage($session: ID!, $first: Int!) {\n    session(id: $session) {\n      sessionId\n      messages(first: $first) {\n        edges { cursor node { __typename position ... on ChatMessage { text sources { key } } } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": types.FirstPageDocument,
    "\n  query PageAfter($session: ID!, $first: Int!, $after: String!) {\n    session(id: $session) {\n      sessionId\n      messages(first: $first, after: $after) {\n        edges { cursor node { __typename position ... on ChatMessage { text sources { key } } } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": types.PageAfterDocument,
    "\n    query Backlinks($session: ID!) {\n      session(id: $session) {\n        messages(first: 1000, types: [SOURCE]) { edges { node { session { sessionId } ... on Source { message { __typename position } } } } }\n      }\n    }\n  ": types.BacklinksDocument,
    "\n    query StoredColumns($session: ID!) {\n      session(id: $session) { messages(first: 8) { edges { node { ...Stored } } } }\n    }\n    fragment Stored on Message {\n      changed: updatedAt\n      ... on ConversationMessage { body: content }\n      ... on ToolCall { toolName }\n    }\n  ": types.StoredColumnsDocument,
    "\n  query SessionsWithSummaries($first: Int!) {\n    sessions(first: $first, orderBy: LAST_MESSAGE_AT_DESC, filter: { identity: \"user:test\", createdAfter: \"2000-01-01T00:00:00Z\" }) {\n      totalCount\n      edges {\n        node {\n          sessionId\n          assistant { assistantId }\n          summary { itemCount messageCount toolCallCount knowledgeCallCount sourceCount firstMessageAt lastMessageAt averageConfidence }\n        }\n      }\n    }\n  }\n": types.SessionsWithSummariesDocument,
    "\n  query SearchPage($first: Int!) {\n    search(query: \"message\", first: $first) {\n      totalCount\n      edges {\n        node {\n          score\n          snippet\n          session { sessionId summary { itemCount } }\n          item { __typename position ... on ChatMessage { text sources { key } } ... on KnowledgeCall { sources { key } } }\n        }\n      }\n    }\n  }\n": types.SearchPageDocument,
    "\n  mutation HostileAppend($sessionId: ID!, $messages: [MessageInput!]!) {\n    appendMessages(sessionId: $sessionId, messages: $messages) { messagesCreated sourcesCreated }\n  }\n": types.HostileAppendDocument,
    "\n  mutation HostileCreateSession($sessionId: String!, $name: String, $assistantId: String) {\n    createSession(sessionId: $sessionId, name: $name, assistantId: $assistantId) { created }\n  }\n": types.HostileCreateSessionDocument,
    "\n  query HostilePage($session: ID!, $after: String, $before: String) {\n    session(id: $session) { messages(first: 2, after: $after, before: $before) { edges { node { position } } } }\n  }\n": types.HostilePageDocument,
    "subscription Watch($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }": types.WatchDocument,
    "\n  subscription AddedAcross($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor message { position ... on ChatMessage { messageId text } } } }\n": types.AddedAcrossDocument,
    "\n  mutation AppendAcross($sessionId: ID!, $messageId: String!) {\n    appendMessages(sessionId: $sessionId, messages: [{ messageId: $messageId, role: USER, text: \"across processes\" }]) { messagesCreated }\n  }\n": types.AppendAcrossDocument,
    "\n  mutation DeleteAcross($sessionId: ID!) { deleteSession(sessionId: $sessionId) { messagesDeleted } }\n": types.DeleteAcrossDocument,
    "\n  mutation CreateSession($sessionId: String!, $name: String) {\n    createSession(sessionId: $sessionId, name: $name, assistantId: \"aia_asst_live\", identity: \"user:live\") {\n      created\n      session { sessionId name identity assistant { assistantId } }\n    }\n  }\n": types.CreateSessionDocument,
    "\n  mutation Append($sessionId: ID!, $messages: [MessageInput!]!) {\n    appendMessages(sessionId: $sessionId, messages: $messages) {\n      messagesCreated messagesAlreadyPresent sourcesCreated\n      items { __typename position ... on ConversationMessage { messageId role text content meta origin } ... on Source { key url } }\n    }\n  }\n": types.AppendDocument,
    "\n  query LiveTimeline($session: ID!) {\n    session(id: $session) { messages(first: 1000) { totalCount edges { node { position ... on ConversationMessage { messageId } } } } }\n  }\n": types.LiveTimelineDocument,
    "\n  subscription MessageAdded($sessionId: ID!) {\n    messageAdded(sessionId: $sessionId) {\n      cursor\n      session { sessionId }\n      message { __typename position ... on ChatMessage { messageId text sources { key } } ... on Source { key } }\n    }\n  }\n": types.MessageAddedDocument,
    "query Resume($after: String) { session(id: \"chat\") { messages(after: $after) { edges { node { position } } } } }": types.ResumeDocument,
    "\n      subscription LatestPage($sessionId: ID!) {\n        messageAdded(sessionId: $sessionId) {\n          message { position }\n          session { messages(last: 1) { totalCount edges { node { position } } } }\n        }\n      }\n    ": types.LatestPageDocument,
    "subscription Watched($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }": types.WatchedDocument,
    "query Counted { sessions { totalCount } }": types.CountedDocument,
    "mutation Created($sessionId: String!) { createSession(sessionId: $sessionId) { created } }": types.CreatedDocument,
    "\n  query OpaqueSessionPage($first: Int, $after: String) {\n    sessions(first: $first, after: $after) { edges { cursor node { id sessionId } } pageInfo { endCursor } }\n  }\n": types.OpaqueSessionPageDocument,
    "\n  query OpaqueTimelinePage($session: ID!, $first: Int, $after: String) {\n    session(id: $session) { id messages(first: $first, after: $after) { edges { cursor node { id __typename position } } } }\n  }\n": types.OpaqueTimelinePageDocument,
    "\n  query OpaqueNode($id: ID!) { node(id: $id) { id __typename } }\n": types.OpaqueNodeDocument,
    "\n  mutation Opened($sessionId: String!, $name: String!, $identity: String!) {\n    createSession(sessionId: $sessionId, name: $name, identity: $identity) { created }\n  }\n": types.OpenedDocument,
    "\n  mutation Told($sessionId: ID!, $identity: String!, $text: String!) {\n    appendMessages(sessionId: $sessionId, messages: [{ messageId: \"m1\", role: USER, text: $text, identity: $identity }]) { messagesCreated }\n  }\n": types.ToldDocument,
    "query Searched($query: String!) { search(query: $query, first: 5) { edges { node { snippet } } } }": types.SearchedDocument,
    "mutation Deleted($sessionId: ID!) { deleteSession(sessionId: $sessionId) { messagesDeleted } }": types.DeletedDocument,
    "mutation Erased($identity: String!) { eraseIdentity(identity: $identity) { sessionsDeleted } }": types.ErasedDocument,
    "\n  mutation AppendToQuiet($sessionId: ID!) { appendMessages(sessionId: $sessionId, messages: [{ messageId: \"m1\", role: USER, text: \"hi\" }]) { messagesCreated } }\n": types.AppendToQuietDocument,
    "\n  mutation AppendDeep($sessionId: ID!, $content: JSON!) { appendMessages(sessionId: $sessionId, messages: [{ messageId: \"deep\", role: USER, content: $content }]) { messagesCreated } }\n": types.AppendDeepDocument,
    "\n  query MigratingPage($session: ID!) {\n    session(id: $session) { sessionId messages(first: 30) { edges { node { __typename position ... on ChatMessage { sources { key } } } } } }\n  }\n": types.MigratingPageDocument,
    "\n  query Search($query: String!, $first: Int, $after: String, $sessionId: ID, $roles: [Role!], $types: [MessageType!], $createdAfter: DateTime, $createdBefore: DateTime) {\n    search(query: $query, first: $first, after: $after, sessionId: $sessionId, roles: $roles, types: $types, createdAfter: $createdAfter, createdBefore: $createdBefore) {\n      totalCount\n      edges {\n        cursor\n        node {\n          score\n          snippet\n          session { sessionId }\n          item { __typename ... on ChatMessage { messageId text } ... on ToolCall { messageId } ... on KnowledgeCall { messageId } ... on Source { key title } }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.SearchDocument,
    "\n  query FilteredSessions($filter: SessionFilter, $orderBy: SessionOrder, $first: Int, $after: String, $last: Int, $before: String) {\n    sessions(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      edges { cursor node { sessionId } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n": types.FilteredSessionsDocument,
    "\n  query Summaries {\n    sessions(first: 1000) {\n      edges {\n        node {\n          sessionId\n          summary { itemCount messageCount toolCallCount knowledgeCallCount sourceCount firstMessageAt lastMessageAt averageConfidence }\n        }\n      }\n    }\n  }\n": types.SummariesDocument,
    "\n  mutation CreateSummarySession($sessionId: String!) { createSession(sessionId: $sessionId) { created } }\n": types.CreateSummarySessionDocument,
    "\n  mutation AppendForSummary($sessionId: ID!, $messages: [MessageInput!]!) {\n    appendMessages(sessionId: $sessionId, messages: $messages) { messagesCreated }\n  }\n": types.AppendForSummaryDocument,
    "\n  subscription ResumeQuiet($sessionId: ID!, $after: String) { messageAdded(sessionId: $sessionId, after: $after) { cursor message { position } } }\n": types.ResumeQuietDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AtomicAppend($messages: [MessageInput!]!) {\n    appendMessages(sessionId: \"atomic\", messages: $messages) {\n      messagesCreated messagesAlreadyPresent sourcesCreated\n      items { position ... on ConversationMessage { messageId } ... on Source { key } }\n    }\n  }\n"): (typeof documents)["\n  mutation AtomicAppend($messages: [MessageInput!]!) {\n    appendMessages(sessionId: \"atomic\", messages: $messages) {\n      messagesCreated messagesAlreadyPresent sourcesCreated\n      items { position ... on ConversationMessage { messageId } ... on Source { key } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RacingAppend($sessionId: ID!, $messages: [MessageInput!]!) {\n    appendMessages(sessionId: $sessionId, messages: $messages) { messagesCreated messagesAlreadyPresent sourcesCreated }\n  }\n"): (typeof documents)["\n  mutation RacingAppend($sessionId: ID!, $messages: [MessageInput!]!) {\n    appendMessages(sessionId: $sessionId, messages: $messages) { messagesCreated messagesAlreadyPresent sourcesCreated }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RacingCreateSession($sessionId: String!) {\n    createSession(sessionId: $sessionId, assistantId: \"aia_asst_race\") { created session { sessionId } }\n  }\n"): (typeof documents)["\n  mutation RacingCreateSession($sessionId: String!) {\n    createSession(sessionId: $sessionId, assistantId: \"aia_asst_race\") { created session { sessionId } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription WatchRotated($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }"): (typeof documents)["subscription WatchRotated($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription WatchAfterOutage($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }"): (typeof documents)["subscription WatchAfterOutage($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription WatchWithdrawn($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }"): (typeof documents)["subscription WatchWithdrawn($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AppendToWatched($sessionId: ID!, $messageId: String!) {\n    appendMessages(sessionId: $sessionId, messages: [{ messageId: $messageId, role: USER, text: \"hello\" }]) { messagesCreated }\n  }\n"): (typeof documents)["\n  mutation AppendToWatched($sessionId: ID!, $messageId: String!) {\n    appendMessages(sessionId: $sessionId, messages: [{ messageId: $messageId, role: USER, text: \"hello\" }]) { messagesCreated }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AppendWithKey($sessionId: ID!, $messageId: String!) {\n    appendMessages(sessionId: $sessionId, messages: [{ messageId: $messageId, role: USER, text: \"hello\" }]) { messagesCreated }\n  }\n"): (typeof documents)["\n  mutation AppendWithKey($sessionId: ID!, $messageId: String!) {\n    appendMessages(sessionId: $sessionId, messages: [{ messageId: $messageId, role: USER, text: \"hello\" }]) { messagesCreated }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query WhoAmI { account { sid } sessions { totalCount } }"): (typeof documents)["query WhoAmI { account { sid } sessions { totalCount } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteSession($sessionId: ID!) {\n    deleteSession(sessionId: $sessionId) { deletedSessionId sessionId messagesDeleted sourcesDeleted }\n  }\n"): (typeof documents)["\n  mutation DeleteSession($sessionId: ID!) {\n    deleteSession(sessionId: $sessionId) { deletedSessionId sessionId messagesDeleted sourcesDeleted }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EraseIdentity($identity: String!) {\n    eraseIdentity(identity: $identity) { sessionsDeleted messagesDeleted sourcesDeleted }\n  }\n"): (typeof documents)["\n  mutation EraseIdentity($identity: String!) {\n    eraseIdentity(identity: $identity) { sessionsDeleted messagesDeleted sourcesDeleted }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ErasedSession($id: ID!) { session(id: $id) { id messages(first: 2) { pageInfo { endCursor } } } }\n"): (typeof documents)["\n  query ErasedSession($id: ID!) { session(id: $id) { id messages(first: 2) { pageInfo { endCursor } } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ErasedNode($id: ID!) { node(id: $id) { id } }\n"): (typeof documents)["\n  query ErasedNode($id: ID!) { node(id: $id) { id } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ErasedSearch($query: String!) { search(query: $query, first: 10) { edges { node { snippet } } } }\n"): (typeof documents)["\n  query ErasedSearch($query: String!) { search(query: $query, first: 10) { edges { node { snippet } } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ErasedAfter($id: ID!, $after: String!) { session(id: $id) { messages(first: 2, after: $after) { edges { cursor } } } }\n"): (typeof documents)["\n  query ErasedAfter($id: ID!, $after: String!) { session(id: $id) { messages(first: 2, after: $after) { edges { cursor } } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ErasedSummary($id: ID!) { session(id: $id) { summary { itemCount messageCount sourceCount averageConfidence } messages { totalCount } } }\n"): (typeof documents)["\n  query ErasedSummary($id: ID!) { session(id: $id) { summary { itemCount messageCount sourceCount averageConfidence } messages { totalCount } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RecreateSession($sessionId: String!) { createSession(sessionId: $sessionId) { created } }\n"): (typeof documents)["\n  mutation RecreateSession($sessionId: String!) { createSession(sessionId: $sessionId) { created } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ErasedAdded($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }\n"): (typeof documents)["\n  subscription ErasedAdded($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExplorerTestAppend($sessionId: ID!, $messages: [MessageInput!]!) {\n    appendMessages(sessionId: $sessionId, messages: $messages) { messagesCreated }\n  }\n"): (typeof documents)["\n  mutation ExplorerTestAppend($sessionId: ID!, $messages: [MessageInput!]!) {\n    appendMessages(sessionId: $sessionId, messages: $messages) { messagesCreated }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription Follow($sessionId: ID!, $after: String) {\n    messageAdded(sessionId: $sessionId, after: $after) { cursor message { position ... on ChatMessage { messageId } } }\n  }\n"): (typeof documents)["\n  subscription Follow($sessionId: ID!, $after: String) {\n    messageAdded(sessionId: $sessionId, after: $after) { cursor message { position ... on ChatMessage { messageId } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AppendOne($sessionId: ID!, $messageId: String!) {\n    appendMessages(sessionId: $sessionId, messages: [{ messageId: $messageId, role: USER, text: \"hello\" }]) { messagesCreated }\n  }\n"): (typeof documents)["\n  mutation AppendOne($sessionId: ID!, $messageId: String!) {\n    appendMessages(sessionId: $sessionId, messages: [{ messageId: $messageId, role: USER, text: \"hello\" }]) { messagesCreated }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Messages($session: ID!, $first: Int, $last: Int, $after: String, $before: String) {\n    session(id: $session) {\n      messages(first: $first, last: $last, after: $after, before: $before) {\n        edges { cursor node { position } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Messages($session: ID!, $first: Int, $last: Int, $after: String, $before: String) {\n    session(id: $session) {\n      messages(first: $first, last: $last, after: $after, before: $before) {\n        edges { cursor node { position } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Timeline($session: ID!) {\n    session(id: $session) {\n      id\n      messages(first: 20) { edges { node { id __typename position } } }\n    }\n  }\n"): (typeof documents)["\n  query Timeline($session: ID!) {\n    session(id: $session) {\n      id\n      messages(first: 20) { edges { node { id __typename position } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Node($id: ID!) { node(id: $id) { id __typename ... on Message { position } } }\n"): (typeof documents)["\n  query Node($id: ID!) { node(id: $id) { id __typename ... on Message { position } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Nodes($ids: [ID!]!) { nodes(ids: $ids) { id __typename } }\n"): (typeof documents)["\n  query Nodes($ids: [ID!]!) { nodes(ids: $ids) { id __typename } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SessionList { sessions(first: 10) { totalCount edges { node { sessionId } } } }\n"): (typeof documents)["\n  query SessionList { sessions(first: 10) { totalCount edges { node { sessionId } } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ForwardPage($session: ID!, $first: Int, $after: String) {\n    session(id: $session) {\n      messages(first: $first, after: $after) {\n        edges { cursor node { __typename position } }\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ForwardPage($session: ID!, $first: Int, $after: String) {\n    session(id: $session) {\n      messages(first: $first, after: $after) {\n        edges { cursor node { __typename position } }\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BackwardPage($session: ID!, $last: Int, $before: String) {\n    session(id: $session) {\n      messages(last: $last, before: $before) {\n        edges { cursor node { __typename position } }\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      }\n    }\n  }\n"): (typeof documents)["\n  query BackwardPage($session: ID!, $last: Int, $before: String) {\n    session(id: $session) {\n      messages(last: $last, before: $before) {\n        edges { cursor node { __typename position } }\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SessionPage($session: ID!, $first: Int!) {\n    session(id: $session) {\n      messages(first: $first) {\n        totalCount\n        edges {\n          node {\n            __typename\n            ... on ChatMessage { text sources { key text url title score } }\n            ... on KnowledgeCall { sources { key title } }\n            ... on Source { key }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query SessionPage($session: ID!, $first: Int!) {\n    session(id: $session) {\n      messages(first: $first) {\n        totalCount\n        edges {\n          node {\n            __typename\n            ... on ChatMessage { text sources { key text url title score } }\n            ... on KnowledgeCall { sources { key title } }\n            ... on Source { key }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ManySessions($sessions: Int!) {\n    sessions(first: $sessions) {\n      edges {\n        node {\n          sessionId\n          messages(first: 10) {\n            totalCount\n            edges { node { __typename ... on ChatMessage { sources { key } } ... on KnowledgeCall { sources { key } } } }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ManySessions($sessions: Int!) {\n    sessions(first: $sessions) {\n      edges {\n        node {\n          sessionId\n          messages(first: 10) {\n            totalCount\n            edges { node { __typename ... on ChatMessage { sources { key } } ... on KnowledgeCall { sources { key } } } }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FirstPage($session: ID!, $first: Int!) {\n    session(id: $session) {\n      sessionId\n      messages(first: $first) {\n        edges { cursor node { __typename position ... on ChatMessage { text sources { key } } } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"): (typeof documents)["\n  query FirstPage($session: ID!, $first: Int!) {\n    session(id: $session) {\n      sessionId\n      messages(first: $first) {\n        edges { cursor node { __typename position ... on ChatMessage { text sources { key } } } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PageAfter($session: ID!, $first: Int!, $after: String!) {\n    session(id: $session) {\n      sessionId\n      messages(first: $first, after: $after) {\n        edges { cursor node { __typename position ... on ChatMessage { text sources { key } } } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PageAfter($session: ID!, $first: Int!, $after: String!) {\n    session(id: $session) {\n      sessionId\n      messages(first: $first, after: $after) {\n        edges { cursor node { __typename position ... on ChatMessage { text sources { key } } } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query Backlinks($session: ID!) {\n      session(id: $session) {\n        messages(first: 1000, types: [SOURCE]) { edges { node { session { sessionId } ... on Source { message { __typename position } } } } }\n      }\n    }\n  "): (typeof documents)["\n    query Backlinks($session: ID!) {\n      session(id: $session) {\n        messages(first: 1000, types: [SOURCE]) { edges { node { session { sessionId } ... on Source { message { __typename position } } } } }\n      }\n    }\n  "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query StoredColumns($session: ID!) {\n      session(id: $session) { messages(first: 8) { edges { node { ...Stored } } } }\n    }\n    fragment Stored on Message {\n      changed: updatedAt\n      ... on ConversationMessage { body: content }\n      ... on ToolCall { toolName }\n    }\n  "): (typeof documents)["\n    query StoredColumns($session: ID!) {\n      session(id: $session) { messages(first: 8) { edges { node { ...Stored } } } }\n    }\n    fragment Stored on Message {\n      changed: updatedAt\n      ... on ConversationMessage { body: content }\n      ... on ToolCall { toolName }\n    }\n  "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SessionsWithSummaries($first: Int!) {\n    sessions(first: $first, orderBy: LAST_MESSAGE_AT_DESC, filter: { identity: \"user:test\", createdAfter: \"2000-01-01T00:00:00Z\" }) {\n      totalCount\n      edges {\n        node {\n          sessionId\n          assistant { assistantId }\n          summary { itemCount messageCount toolCallCount knowledgeCallCount sourceCount firstMessageAt lastMessageAt averageConfidence }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query SessionsWithSummaries($first: Int!) {\n    sessions(first: $first, orderBy: LAST_MESSAGE_AT_DESC, filter: { identity: \"user:test\", createdAfter: \"2000-01-01T00:00:00Z\" }) {\n      totalCount\n      edges {\n        node {\n          sessionId\n          assistant { assistantId }\n          summary { itemCount messageCount toolCallCount knowledgeCallCount sourceCount firstMessageAt lastMessageAt averageConfidence }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SearchPage($first: Int!) {\n    search(query: \"message\", first: $first) {\n      totalCount\n      edges {\n        node {\n          score\n          snippet\n          session { sessionId summary { itemCount } }\n          item { __typename position ... on ChatMessage { text sources { key } } ... on KnowledgeCall { sources { key } } }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query SearchPage($first: Int!) {\n    search(query: \"message\", first: $first) {\n      totalCount\n      edges {\n        node {\n          score\n          snippet\n          session { sessionId summary { itemCount } }\n          item { __typename position ... on ChatMessage { text sources { key } } ... on KnowledgeCall { sources { key } } }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation HostileAppend($sessionId: ID!, $messages: [MessageInput!]!) {\n    appendMessages(sessionId: $sessionId, messages: $messages) { messagesCreated sourcesCreated }\n  }\n"): (typeof documents)["\n  mutation HostileAppend($sessionId: ID!, $messages: [MessageInput!]!) {\n    appendMessages(sessionId: $sessionId, messages: $messages) { messagesCreated sourcesCreated }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation HostileCreateSession($sessionId: String!, $name: String, $assistantId: String) {\n    createSession(sessionId: $sessionId, name: $name, assistantId: $assistantId) { created }\n  }\n"): (typeof documents)["\n  mutation HostileCreateSession($sessionId: String!, $name: String, $assistantId: String) {\n    createSession(sessionId: $sessionId, name: $name, assistantId: $assistantId) { created }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HostilePage($session: ID!, $after: String, $before: String) {\n    session(id: $session) { messages(first: 2, after: $after, before: $before) { edges { node { position } } } }\n  }\n"): (typeof documents)["\n  query HostilePage($session: ID!, $after: String, $before: String) {\n    session(id: $session) { messages(first: 2, after: $after, before: $before) { edges { node { position } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription Watch($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }"): (typeof documents)["subscription Watch($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AddedAcross($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor message { position ... on ChatMessage { messageId text } } } }\n"): (typeof documents)["\n  subscription AddedAcross($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor message { position ... on ChatMessage { messageId text } } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AppendAcross($sessionId: ID!, $messageId: String!) {\n    appendMessages(sessionId: $sessionId, messages: [{ messageId: $messageId, role: USER, text: \"across processes\" }]) { messagesCreated }\n  }\n"): (typeof documents)["\n  mutation AppendAcross($sessionId: ID!, $messageId: String!) {\n    appendMessages(sessionId: $sessionId, messages: [{ messageId: $messageId, role: USER, text: \"across processes\" }]) { messagesCreated }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAcross($sessionId: ID!) { deleteSession(sessionId: $sessionId) { messagesDeleted } }\n"): (typeof documents)["\n  mutation DeleteAcross($sessionId: ID!) { deleteSession(sessionId: $sessionId) { messagesDeleted } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSession($sessionId: String!, $name: String) {\n    createSession(sessionId: $sessionId, name: $name, assistantId: \"aia_asst_live\", identity: \"user:live\") {\n      created\n      session { sessionId name identity assistant { assistantId } }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateSession($sessionId: String!, $name: String) {\n    createSession(sessionId: $sessionId, name: $name, assistantId: \"aia_asst_live\", identity: \"user:live\") {\n      created\n      session { sessionId name identity assistant { assistantId } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Append($sessionId: ID!, $messages: [MessageInput!]!) {\n    appendMessages(sessionId: $sessionId, messages: $messages) {\n      messagesCreated messagesAlreadyPresent sourcesCreated\n      items { __typename position ... on ConversationMessage { messageId role text content meta origin } ... on Source { key url } }\n    }\n  }\n"): (typeof documents)["\n  mutation Append($sessionId: ID!, $messages: [MessageInput!]!) {\n    appendMessages(sessionId: $sessionId, messages: $messages) {\n      messagesCreated messagesAlreadyPresent sourcesCreated\n      items { __typename position ... on ConversationMessage { messageId role text content meta origin } ... on Source { key url } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LiveTimeline($session: ID!) {\n    session(id: $session) { messages(first: 1000) { totalCount edges { node { position ... on ConversationMessage { messageId } } } } }\n  }\n"): (typeof documents)["\n  query LiveTimeline($session: ID!) {\n    session(id: $session) { messages(first: 1000) { totalCount edges { node { position ... on ConversationMessage { messageId } } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MessageAdded($sessionId: ID!) {\n    messageAdded(sessionId: $sessionId) {\n      cursor\n      session { sessionId }\n      message { __typename position ... on ChatMessage { messageId text sources { key } } ... on Source { key } }\n    }\n  }\n"): (typeof documents)["\n  subscription MessageAdded($sessionId: ID!) {\n    messageAdded(sessionId: $sessionId) {\n      cursor\n      session { sessionId }\n      message { __typename position ... on ChatMessage { messageId text sources { key } } ... on Source { key } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Resume($after: String) { session(id: \"chat\") { messages(after: $after) { edges { node { position } } } } }"): (typeof documents)["query Resume($after: String) { session(id: \"chat\") { messages(after: $after) { edges { node { position } } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      subscription LatestPage($sessionId: ID!) {\n        messageAdded(sessionId: $sessionId) {\n          message { position }\n          session { messages(last: 1) { totalCount edges { node { position } } } }\n        }\n      }\n    "): (typeof documents)["\n      subscription LatestPage($sessionId: ID!) {\n        messageAdded(sessionId: $sessionId) {\n          message { position }\n          session { messages(last: 1) { totalCount edges { node { position } } } }\n        }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription Watched($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }"): (typeof documents)["subscription Watched($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Counted { sessions { totalCount } }"): (typeof documents)["query Counted { sessions { totalCount } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Created($sessionId: String!) { createSession(sessionId: $sessionId) { created } }"): (typeof documents)["mutation Created($sessionId: String!) { createSession(sessionId: $sessionId) { created } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OpaqueSessionPage($first: Int, $after: String) {\n    sessions(first: $first, after: $after) { edges { cursor node { id sessionId } } pageInfo { endCursor } }\n  }\n"): (typeof documents)["\n  query OpaqueSessionPage($first: Int, $after: String) {\n    sessions(first: $first, after: $after) { edges { cursor node { id sessionId } } pageInfo { endCursor } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OpaqueTimelinePage($session: ID!, $first: Int, $after: String) {\n    session(id: $session) { id messages(first: $first, after: $after) { edges { cursor node { id __typename position } } } }\n  }\n"): (typeof documents)["\n  query OpaqueTimelinePage($session: ID!, $first: Int, $after: String) {\n    session(id: $session) { id messages(first: $first, after: $after) { edges { cursor node { id __typename position } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OpaqueNode($id: ID!) { node(id: $id) { id __typename } }\n"): (typeof documents)["\n  query OpaqueNode($id: ID!) { node(id: $id) { id __typename } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Opened($sessionId: String!, $name: String!, $identity: String!) {\n    createSession(sessionId: $sessionId, name: $name, identity: $identity) { created }\n  }\n"): (typeof documents)["\n  mutation Opened($sessionId: String!, $name: String!, $identity: String!) {\n    createSession(sessionId: $sessionId, name: $name, identity: $identity) { created }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Told($sessionId: ID!, $identity: String!, $text: String!) {\n    appendMessages(sessionId: $sessionId, messages: [{ messageId: \"m1\", role: USER, text: $text, identity: $identity }]) { messagesCreated }\n  }\n"): (typeof documents)["\n  mutation Told($sessionId: ID!, $identity: String!, $text: String!) {\n    appendMessages(sessionId: $sessionId, messages: [{ messageId: \"m1\", role: USER, text: $text, identity: $identity }]) { messagesCreated }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Searched($query: String!) { search(query: $query, first: 5) { edges { node { snippet } } } }"): (typeof documents)["query Searched($query: String!) { search(query: $query, first: 5) { edges { node { snippet } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Deleted($sessionId: ID!) { deleteSession(sessionId: $sessionId) { messagesDeleted } }"): (typeof documents)["mutation Deleted($sessionId: ID!) { deleteSession(sessionId: $sessionId) { messagesDeleted } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Erased($identity: String!) { eraseIdentity(identity: $identity) { sessionsDeleted } }"): (typeof documents)["mutation Erased($identity: String!) { eraseIdentity(identity: $identity) { sessionsDeleted } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AppendToQuiet($sessionId: ID!) { appendMessages(sessionId: $sessionId, messages: [{ messageId: \"m1\", role: USER, text: \"hi\" }]) { messagesCreated } }\n"): (typeof documents)["\n  mutation AppendToQuiet($sessionId: ID!) { appendMessages(sessionId: $sessionId, messages: [{ messageId: \"m1\", role: USER, text: \"hi\" }]) { messagesCreated } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AppendDeep($sessionId: ID!, $content: JSON!) { appendMessages(sessionId: $sessionId, messages: [{ messageId: \"deep\", role: USER, content: $content }]) { messagesCreated } }\n"): (typeof documents)["\n  mutation AppendDeep($sessionId: ID!, $content: JSON!) { appendMessages(sessionId: $sessionId, messages: [{ messageId: \"deep\", role: USER, content: $content }]) { messagesCreated } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MigratingPage($session: ID!) {\n    session(id: $session) { sessionId messages(first: 30) { edges { node { __typename position ... on ChatMessage { sources { key } } } } } }\n  }\n"): (typeof documents)["\n  query MigratingPage($session: ID!) {\n    session(id: $session) { sessionId messages(first: 30) { edges { node { __typename position ... on ChatMessage { sources { key } } } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Search($query: String!, $first: Int, $after: String, $sessionId: ID, $roles: [Role!], $types: [MessageType!], $createdAfter: DateTime, $createdBefore: DateTime) {\n    search(query: $query, first: $first, after: $after, sessionId: $sessionId, roles: $roles, types: $types, createdAfter: $createdAfter, createdBefore: $createdBefore) {\n      totalCount\n      edges {\n        cursor\n        node {\n          score\n          snippet\n          session { sessionId }\n          item { __typename ... on ChatMessage { messageId text } ... on ToolCall { messageId } ... on KnowledgeCall { messageId } ... on Source { key title } }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query Search($query: String!, $first: Int, $after: String, $sessionId: ID, $roles: [Role!], $types: [MessageType!], $createdAfter: DateTime, $createdBefore: DateTime) {\n    search(query: $query, first: $first, after: $after, sessionId: $sessionId, roles: $roles, types: $types, createdAfter: $createdAfter, createdBefore: $createdBefore) {\n      totalCount\n      edges {\n        cursor\n        node {\n          score\n          snippet\n          session { sessionId }\n          item { __typename ... on ChatMessage { messageId text } ... on ToolCall { messageId } ... on KnowledgeCall { messageId } ... on Source { key title } }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FilteredSessions($filter: SessionFilter, $orderBy: SessionOrder, $first: Int, $after: String, $last: Int, $before: String) {\n    sessions(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      edges { cursor node { sessionId } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n"): (typeof documents)["\n  query FilteredSessions($filter: SessionFilter, $orderBy: SessionOrder, $first: Int, $after: String, $last: Int, $before: String) {\n    sessions(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      edges { cursor node { sessionId } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Summaries {\n    sessions(first: 1000) {\n      edges {\n        node {\n          sessionId\n          summary { itemCount messageCount toolCallCount knowledgeCallCount sourceCount firstMessageAt lastMessageAt averageConfidence }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Summaries {\n    sessions(first: 1000) {\n      edges {\n        node {\n          sessionId\n          summary { itemCount messageCount toolCallCount knowledgeCallCount sourceCount firstMessageAt lastMessageAt averageConfidence }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSummarySession($sessionId: String!) { createSession(sessionId: $sessionId) { created } }\n"): (typeof documents)["\n  mutation CreateSummarySession($sessionId: String!) { createSession(sessionId: $sessionId) { created } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AppendForSummary($sessionId: ID!, $messages: [MessageInput!]!) {\n    appendMessages(sessionId: $sessionId, messages: $messages) { messagesCreated }\n  }\n"): (typeof documents)["\n  mutation AppendForSummary($sessionId: ID!, $messages: [MessageInput!]!) {\n    appendMessages(sessionId: $sessionId, messages: $messages) { messagesCreated }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ResumeQuiet($sessionId: ID!, $after: String) { messageAdded(sessionId: $sessionId, after: $after) { cursor message { position } } }\n"): (typeof documents)["\n  subscription ResumeQuiet($sessionId: ID!, $after: String) { messageAdded(sessionId: $sessionId, after: $after) { cursor message { position } } }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;