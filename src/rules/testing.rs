//! Rule tests (filled in with the engine).
