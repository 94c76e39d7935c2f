# Finds every Debian-packaged dependency once and exposes it as an imported
# target, so subsystem CMakeLists only say what they link.
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)

# CAF 0.17.6 ships neither a CMake config nor a .pc file.
find_path(CAF_INCLUDE_DIR caf/all.hpp REQUIRED)
find_library(CAF_CORE_LIBRARY caf_core REQUIRED)
find_library(CAF_IO_LIBRARY caf_io REQUIRED)
add_library(sof::caf_core UNKNOWN IMPORTED)
set_target_properties(sof::caf_core PROPERTIES
  IMPORTED_LOCATION "${CAF_CORE_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${CAF_INCLUDE_DIR}"
  INTERFACE_LINK_LIBRARIES Threads::Threads)

find_package(msgpack CONFIG REQUIRED)   # target msgpackc-cxx
find_package(spdlog CONFIG REQUIRED)
find_package(nlohmann_json CONFIG REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(CURL REQUIRED)
find_package(Boost 1.74 REQUIRED COMPONENTS system)

# Snowball stemmers (libstemmer-dev): no CMake config, no .pc file.
find_path(STEMMER_INCLUDE_DIR libstemmer.h REQUIRED)
find_library(STEMMER_LIBRARY stemmer REQUIRED)
add_library(sof::stemmer UNKNOWN IMPORTED)
set_target_properties(sof::stemmer PROPERTIES
  IMPORTED_LOCATION "${STEMMER_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${STEMMER_INCLUDE_DIR}")

# msgpack: without MSGPACK_NO_BOOST one include pulls ~1,000 Boost headers.
add_library(sof_msgpack INTERFACE)
target_link_libraries(sof_msgpack INTERFACE msgpackc-cxx)
target_compile_definitions(sof_msgpack INTERFACE MSGPACK_NO_BOOST)

pkg_check_modules(SNDFILE REQUIRED IMPORTED_TARGET sndfile)
pkg_check_modules(SAMPLERATE REQUIRED IMPORTED_TARGET samplerate)

# pocketsphinx's .pc names a non-existent /usr/include/sphinxbase.
pkg_check_modules(POCKETSPHINX REQUIRED pocketsphinx)
set(_ps_dirs "")
foreach(d ${POCKETSPHINX_INCLUDE_DIRS})
  if(EXISTS "${d}")
    list(APPEND _ps_dirs "${d}")
  endif()
endforeach()
add_library(sof::pocketsphinx INTERFACE IMPORTED)
set_target_properties(sof::pocketsphinx PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES "${_ps_dirs}"
  INTERFACE_LINK_LIBRARIES "${POCKETSPHINX_LINK_LIBRARIES}")

pkg_check_modules(ESPEAKNG REQUIRED IMPORTED_TARGET espeak-ng)

find_path(FLITE_INCLUDE_DIR flite/flite.h REQUIRED)
set(_flite_libs "")
foreach(l flite_cmu_us_kal16 flite_cmu_us_slt flite_usenglish flite_cmulex flite)
  find_library(_lib_${l} ${l} REQUIRED)
  list(APPEND _flite_libs "${_lib_${l}}")
endforeach()
add_library(sof::flite INTERFACE IMPORTED)
set_target_properties(sof::flite PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES "${FLITE_INCLUDE_DIR}"
  INTERFACE_LINK_LIBRARIES "${_flite_libs};m")
# The two other Debian flite voices, for the speech-to-text evaluation only
# (tests/actors/providers/stt/eval_audio.cpp): the shipped binaries speak
# with kal16 and slt and need not load these.
set(_flite_eval_voices "")
foreach(l flite_cmu_us_awb flite_cmu_us_rms)
  find_library(_lib_${l} ${l} REQUIRED)
  list(APPEND _flite_eval_voices "${_lib_${l}}")
endforeach()
add_library(sof::flite_eval_voices INTERFACE IMPORTED)
set_target_properties(sof::flite_eval_voices PROPERTIES
  INTERFACE_LINK_LIBRARIES "${_flite_eval_voices};sof::flite")

# FAISS 1.7.3 is static and needs OpenMP found first.
find_package(OpenMP REQUIRED)
find_package(faiss CONFIG REQUIRED)

if(SOF_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(SOF_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
