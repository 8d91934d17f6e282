// RDKit 2022.09 + Boost 1.74 + clang >= 16: boost/mpl/aux_/integral_wrapper.hpp computes
// `next`/`prior` as integral_c<E, value + 1>, which is not a constant expression for the
// (unscoped, fixed-range) enums of boost/numeric/conversion. Those members are never used
// for these enums, so a partial specialization without them lets the headers compile.
// Include this before any RDKit or Boost header.
#pragma once
#include <boost/mpl/integral_c.hpp>
#include <boost/numeric/conversion/int_float_mixture_enum.hpp>
#include <boost/numeric/conversion/sign_mixture_enum.hpp>
#include <boost/numeric/conversion/udt_builtin_mixture_enum.hpp>

#define MOLSHIM_ENUM_INTEGRAL_C(E)                                   \
    namespace mpl_ {                                                 \
    template <E N>                                                   \
    struct integral_c<E, N> {                                        \
        static constexpr E value = N;                                \
        typedef integral_c type;                                     \
        typedef E value_type;                                        \
        typedef integral_c_tag tag;                                  \
        constexpr operator E() const { return value; }               \
    };                                                               \
    }

MOLSHIM_ENUM_INTEGRAL_C(boost::numeric::int_float_mixture_enum)
MOLSHIM_ENUM_INTEGRAL_C(boost::numeric::sign_mixture_enum)
MOLSHIM_ENUM_INTEGRAL_C(boost::numeric::udt_builtin_mixture_enum)

#undef MOLSHIM_ENUM_INTEGRAL_C
