/// An event that could not be rendered (its rows do not decode, say); the output ends at the event before it.
struct RenderingError: Error {
    var underlying: any Error
    /// The event was written as it rendered (one huge event, ``ParallelRenderer``): the output ends inside it.
    var endsInsideTheEvent = false
}
