/// Runs `body` inside the savepoint `name` of the open transaction: released when it returns; when it throws,
/// `undo` forgets what the savepoint's work noted, then the savepoint is rolled back to and released. Both
/// engines nest transactions so (`Database`, `PostgresConnection`); `execute` runs statements on the engine.
func inSavepoint<T>(_ name: String, execute: (String) throws -> Void, undo: () -> Void = {},
                    _ body: () throws -> T) throws -> T {
    try execute("SAVEPOINT \(name)")
    do {
        let result = try body()
        try execute("RELEASE SAVEPOINT \(name)")
        return result
    } catch {
        undo()
        try? execute("ROLLBACK TO SAVEPOINT \(name); RELEASE SAVEPOINT \(name)")
        throw error
    }
}
